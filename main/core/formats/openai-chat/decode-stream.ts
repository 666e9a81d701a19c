// OpenAI Chat SSE stream (upstream) -> canonical events (docs/wire-formats.md, OpenAI Chat Completions).
// Chunks carry deltas of one message; content, reasoning_content and tool-call fragments are turned into
// blocks, one open at a time. Tool-call fragments are grouped by their `index`.
import type { CanonicalStopReason } from '../canonical/canonical-response.ts';
import type { CanonicalStreamEvent } from '../canonical/canonical-stream-event.ts';
import { arrayOr, isRecord, numberOr, stringOr, type JsonObject } from '../canonical/json-values.ts';
import { synthesizeToolCallId } from '../canonical/tool-naming.ts';
import { StreamJsonReader } from '../canonical/stream-json.ts';
import type { Warnings } from '../canonical/warnings.ts';
import type { StreamDecoder } from '../codec.ts';
import type { SseEvent } from '../sse/sse-parser.ts';
import { stopReasonFromChat, usageFromChat } from './chat-vocabulary.ts';

type OpenKind = 'text' | 'reasoning' | 'tool';

export class ChatStreamDecoder implements StreamDecoder {
  private readonly warnings: Warnings;
  private started = false;
  private nextIndex = 0;
  private open: { kind: OpenKind; index: number; toolIndex?: number; toolId?: string } | undefined;
  /** Calls sent without `index` (some OpenAI-compatible servers) are told apart by their ids. */
  private unindexedCalls = 0;
  private readonly closedToolIndexes = new Set<number>();
  private stopReason: CanonicalStopReason | undefined;
  private sawToolCall = false;
  private finished = false;
  /** Parses the chunks; what it returns is read here and not kept (stream-json.ts). */
  private readonly json = new StreamJsonReader();

  constructor(warnings: Warnings) {
    this.warnings = warnings;
  }

  event(sse: SseEvent, events: CanonicalStreamEvent[] = []): CanonicalStreamEvent[] {
    if (this.finished) return events;
    if (sse.data.trim() === '[DONE]') return this.finish(events);
    const chunk = this.json.parse(sse.data);
    if (!isRecord(chunk)) return events;
    if (isRecord(chunk.error)) {
      this.finished = true;
      const status = numberOr(chunk.error.status) ?? numberOr(chunk.error.code) ?? 500;
      events.push({ type: 'error', error: { status: status >= 400 && status < 600 ? status : 500, message: stringOr(chunk.error.message, 'Upstream stream error')! } });
      return events;
    }
    if (!this.started) {
      this.started = true;
      events.push({ type: 'message_start', id: stringOr(chunk.id), model: stringOr(chunk.model) });
    }
    const choice = firstChoice(chunk.choices);
    if (choice) this.readChoice(choice, events);
    const usage = usageFromChat(chunk.usage);
    if (usage) events.push({ type: 'usage', usage });
    return events;
  }

  end(events: CanonicalStreamEvent[] = []): CanonicalStreamEvent[] {
    if (this.finished || this.stopReason === undefined) return events;
    return this.finish(events);
  }

  private finish(events: CanonicalStreamEvent[]): CanonicalStreamEvent[] {
    this.finished = true;
    this.close(events);
    let stopReason = this.stopReason ?? 'end_turn';
    if (stopReason === 'end_turn' && this.sawToolCall) stopReason = 'tool_use';
    events.push({ type: 'message_stop', stopReason });
    return events;
  }

  private readChoice(choice: JsonObject, events: CanonicalStreamEvent[]): void {
    const delta = isRecord(choice.delta) ? choice.delta : {};
    const reasoning = stringOr(delta.reasoning_content) ?? stringOr(delta.reasoning);
    if (reasoning) {
      const index = this.ensureOpen('reasoning', events);
      events.push({ type: 'reasoning_delta', index, text: reasoning });
    }
    // Spelled out rather than looped over literals: this runs for every chunk of every stream, and the loops cost an
    // array and an iterator each time (docs/performance.md).
    this.readText(stringOr(delta.content), events);
    this.readText(stringOr(delta.refusal), events);
    const calls = arrayOr(delta.tool_calls);
    if (calls) for (const call of calls) if (isRecord(call)) this.readToolCall(call, events);
    if (typeof choice.finish_reason === 'string') this.stopReason = stopReasonFromChat(choice.finish_reason);
  }

  private readText(text: string | undefined, events: CanonicalStreamEvent[]): void {
    if (!text) return;
    const index = this.ensureOpen('text', events);
    events.push({ type: 'text_delta', index, text });
  }

  private readToolCall(call: JsonObject, events: CanonicalStreamEvent[]): void {
    const id = stringOr(call.id);
    const sameAsOpen = this.open?.kind === 'tool' && (id === undefined || id === this.open.toolId);
    const toolIndex = numberOr(call.index) ?? (sameAsOpen ? this.open!.toolIndex! : 10_000 + this.unindexedCalls++);
    const fn = isRecord(call.function) ? call.function : isRecord(call.custom) ? call.custom : {};
    if (this.closedToolIndexes.has(toolIndex)) {
      this.warnings.add('The upstream interleaved fragments of parallel tool calls; late fragments were dropped.');
      return;
    }
    const newCall = this.open?.kind !== 'tool' || this.open.toolIndex !== toolIndex || (id !== undefined && this.open.toolId !== undefined && id !== this.open.toolId);
    if (newCall) {
      this.close(events);
      const index = this.nextIndex++;
      this.open = { kind: 'tool', index, toolIndex, toolId: id };
      this.sawToolCall = true;
      const toolKind = call.type === 'custom' ? 'custom' : 'function';
      events.push({ type: 'block_start', index, block: { kind: 'tool_call', id: id || synthesizeToolCallId(), name: stringOr(fn.name, '')!, toolKind } });
    }
    const open = this.open!;
    const fragment = call.type === 'custom' ? stringOr(fn.input) : stringOr(fn.arguments);
    if (fragment) events.push({ type: 'tool_arguments_delta', index: open.index, json: call.type === 'custom' ? JSON.stringify({ input: fragment }) : fragment });
  }

  private ensureOpen(kind: OpenKind, events: CanonicalStreamEvent[]): number {
    if (this.open?.kind === kind) return this.open.index;
    this.close(events);
    const index = this.nextIndex++;
    this.open = { kind, index };
    events.push({ type: 'block_start', index, block: kind === 'text' ? { kind: 'text' } : { kind: 'reasoning', origin: 'openai-chat' } });
    return index;
  }

  private close(events: CanonicalStreamEvent[]): void {
    if (!this.open) return;
    if (this.open.toolIndex !== undefined) this.closedToolIndexes.add(this.open.toolIndex);
    events.push({ type: 'block_stop', index: this.open.index });
    this.open = undefined;
  }
}

/** The choice with index 0 (a missing index counts as 0), as the stream's only choice Switchyard follows. */
function firstChoice(choices: unknown): JsonObject | undefined {
  const list = arrayOr(choices);
  if (!list) return undefined;
  for (let index = 0; index < list.length; index += 1) {
    const item = list[index];
    if (isRecord(item) && (item.index ?? 0) === 0) return item;
  }
  return undefined;
}
