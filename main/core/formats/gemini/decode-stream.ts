// Gemini SSE stream (upstream, `:streamGenerateContent?alt=sse`) -> canonical events (docs/wire-formats.md, Gemini API).
// Every `data:` is a complete GenerateContentResponse chunk. Thought text, text and function calls become
// blocks; a function call arrives whole, so its block opens, gets its arguments and closes at once.
// Gemini has no end event: the stream is finished when the body ends.
import type { CanonicalStreamEvent } from '../canonical/canonical-stream-event.ts';
import { arrayOr, isRecord, stringOr, type JsonObject } from '../canonical/json-values.ts';
import { synthesizeToolCallId } from '../canonical/tool-naming.ts';
import { StreamJsonReader } from '../canonical/stream-json.ts';
import type { Warnings } from '../canonical/warnings.ts';
import type { StreamDecoder } from '../codec.ts';
import type { SseEvent } from '../sse/sse-parser.ts';
import { unwrapGeminiResponse } from './decode-response.ts';
import { httpStatusForGoogleError, stopReasonFromGemini, usageFromGemini } from './gemini-vocabulary.ts';

export class GeminiStreamDecoder implements StreamDecoder {
  private readonly warnings: Warnings;
  private started = false;
  private nextIndex = 0;
  private open: { kind: 'text' | 'reasoning'; index: number } | undefined;
  private finishReason: unknown;
  private sawFunctionCall = false;
  private failed = false;
  /** Parses the chunks; what it returns is read here and not kept (stream-json.ts). */
  private readonly json = new StreamJsonReader();

  constructor(warnings: Warnings) {
    this.warnings = warnings;
  }

  event(sse: SseEvent, events: CanonicalStreamEvent[] = []): CanonicalStreamEvent[] {
    const parsed = this.json.parse(sse.data);
    if (!isRecord(parsed) || this.failed) return events;
    if (isRecord(parsed.error)) {
      this.failed = true;
      events.push({ type: 'error', error: { status: httpStatusForGoogleError(parsed.error), message: stringOr(parsed.error.message, 'Upstream stream error')! } });
      return events;
    }
    const chunk = unwrapGeminiResponse(parsed);
    if (!this.started) {
      this.started = true;
      events.push({ type: 'message_start', id: stringOr(chunk.responseId), model: stringOr(chunk.modelVersion) });
    }
    const candidate = (arrayOr(chunk.candidates) ?? []).find(isRecord);
    const parts = candidate && isRecord(candidate.content) ? (arrayOr(candidate.content.parts) ?? []) : [];
    for (const part of parts) if (isRecord(part)) this.readPart(part, events);
    if (candidate?.finishReason !== undefined) this.finishReason = candidate.finishReason;
    if (!candidate && isRecord(chunk.promptFeedback) && chunk.promptFeedback.blockReason !== undefined) {
      this.finishReason = 'SAFETY';
      this.warnings.add(`Gemini blocked the prompt: ${String(chunk.promptFeedback.blockReason)}.`);
    }
    const usage = usageFromGemini(chunk.usageMetadata);
    if (usage) events.push({ type: 'usage', usage });
    return events;
  }

  end(events: CanonicalStreamEvent[] = []): CanonicalStreamEvent[] {
    if (this.failed || !this.started) return events;
    this.close(events);
    events.push({ type: 'message_stop', stopReason: stopReasonFromGemini(this.finishReason, this.sawFunctionCall) });
    return events;
  }

  private readPart(part: JsonObject, events: CanonicalStreamEvent[]): void {
    const signature = typeof part.thoughtSignature === 'string' && part.thoughtSignature !== '' ? part.thoughtSignature : undefined;
    if (isRecord(part.functionCall)) {
      this.close(events);
      const index = this.nextIndex++;
      this.sawFunctionCall = true;
      const call = part.functionCall;
      events.push({
        type: 'block_start',
        index,
        block: { kind: 'tool_call', id: stringOr(call.id) || synthesizeToolCallId(), name: stringOr(call.name, '')!, toolKind: 'function', ...(signature ? { thoughtSignature: signature } : {}) },
      });
      events.push({ type: 'tool_arguments_delta', index, json: JSON.stringify(call.args ?? {}) });
      events.push({ type: 'block_stop', index });
      return;
    }
    if (typeof part.text !== 'string') {
      if (Object.keys(part).some((key) => key !== 'thoughtSignature')) this.warnings.add(`Gemini stream parts with ${Object.keys(part).join(', ')} cannot be translated; dropped.`);
      return;
    }
    const kind = part.thought === true ? 'reasoning' : 'text';
    if (part.text === '' && !signature) return;
    const index = this.ensureOpen(kind, events);
    if (part.text !== '') events.push(kind === 'text' ? { type: 'text_delta', index, text: part.text } : { type: 'reasoning_delta', index, text: part.text });
    if (signature) events.push({ type: 'signature', index, signature });
  }

  private ensureOpen(kind: 'text' | 'reasoning', events: CanonicalStreamEvent[]): number {
    if (this.open?.kind === kind) return this.open.index;
    this.close(events);
    const index = this.nextIndex++;
    this.open = { kind, index };
    events.push({ type: 'block_start', index, block: kind === 'text' ? { kind: 'text' } : { kind: 'reasoning', origin: 'gemini' } });
    return index;
  }

  private close(events: CanonicalStreamEvent[]): void {
    if (!this.open) return;
    events.push({ type: 'block_stop', index: this.open.index });
    this.open = undefined;
  }
}
