// Anthropic SSE stream (upstream) -> canonical events (docs/wire-formats.md, Anthropic Messages).
import type { CanonicalStreamEvent } from '../canonical/canonical-stream-event.ts';
import { isRecord, stringOr, type JsonObject } from '../canonical/json-values.ts';
import { StreamJsonReader } from '../canonical/stream-json.ts';
import type { Warnings } from '../canonical/warnings.ts';
import type { StreamDecoder } from '../codec.ts';
import type { SseEvent } from '../sse/sse-parser.ts';
import { appendEvents } from '../stream/append-events.ts';
import { statusForAnthropicErrorType, stopReasonFromAnthropic, usageFromAnthropic } from './anthropic-vocabulary.ts';

export class AnthropicStreamDecoder implements StreamDecoder {
  private readonly skipped = new Set<number>();
  private stopReason: ReturnType<typeof stopReasonFromAnthropic> | undefined;
  private stopSequence: string | undefined;
  /** Parses the events' data; what it returns is read here and not kept (stream-json.ts). */
  private readonly json = new StreamJsonReader();

  private readonly warnings: Warnings;

  constructor(warnings: Warnings) {
    this.warnings = warnings;
  }

  event(sse: SseEvent, out?: CanonicalStreamEvent[]): CanonicalStreamEvent[] {
    return appendEvents(this.decode(sse), out);
  }

  /** Its events mostly come one per upstream event, as literal arrays (no spare capacity, unlike push-built ones). */
  private decode(sse: SseEvent): CanonicalStreamEvent[] {
    const data = this.json.parse(sse.data);
    if (!isRecord(data)) return [];
    switch (data.type) {
      case 'message_start': {
        const message = isRecord(data.message) ? data.message : {};
        return [{ type: 'message_start', id: stringOr(message.id), model: stringOr(message.model), usage: usageFromAnthropic(message.usage) }];
      }
      case 'content_block_start':
        return this.blockStart(data);
      case 'content_block_delta':
        return this.blockDelta(data);
      case 'content_block_stop': {
        const index = Number(data.index);
        return this.skipped.has(index) ? [] : [{ type: 'block_stop', index }];
      }
      case 'message_delta': {
        const delta = isRecord(data.delta) ? data.delta : {};
        if (delta.stop_reason !== undefined && delta.stop_reason !== null) this.stopReason = stopReasonFromAnthropic(delta.stop_reason);
        if (typeof delta.stop_sequence === 'string') this.stopSequence = delta.stop_sequence;
        const usage = usageFromAnthropic(data.usage);
        return usage ? [{ type: 'usage', usage }] : [];
      }
      case 'message_stop':
        return [{ type: 'message_stop', stopReason: this.stopReason ?? 'end_turn', ...(this.stopSequence ? { stopSequence: this.stopSequence } : {}) }];
      case 'error': {
        const error = isRecord(data.error) ? data.error : {};
        return [{ type: 'error', error: { status: statusForAnthropicErrorType(error.type), message: stringOr(error.message, 'Upstream stream error')! } }];
      }
      default:
        return []; // ping and future event types
    }
  }

  end(out: CanonicalStreamEvent[] = []): CanonicalStreamEvent[] {
    return out;
  }

  private blockStart(data: JsonObject): CanonicalStreamEvent[] {
    const index = Number(data.index);
    const block = isRecord(data.content_block) ? data.content_block : {};
    switch (block.type) {
      case 'text': {
        const events: CanonicalStreamEvent[] = [{ type: 'block_start', index, block: { kind: 'text' } }];
        if (typeof block.text === 'string' && block.text !== '') events.push({ type: 'text_delta', index, text: block.text });
        return events;
      }
      case 'tool_use': {
        const events: CanonicalStreamEvent[] = [
          { type: 'block_start', index, block: { kind: 'tool_call', id: stringOr(block.id, '')!, name: stringOr(block.name, '')!, toolKind: 'function' } },
        ];
        if (isRecord(block.input) && Object.keys(block.input).length > 0) events.push({ type: 'tool_arguments_delta', index, json: JSON.stringify(block.input) });
        return events;
      }
      case 'thinking': {
        const events: CanonicalStreamEvent[] = [{ type: 'block_start', index, block: { kind: 'reasoning', origin: 'anthropic' } }];
        if (typeof block.thinking === 'string' && block.thinking !== '') events.push({ type: 'reasoning_delta', index, text: block.thinking });
        if (typeof block.signature === 'string' && block.signature !== '') events.push({ type: 'signature', index, signature: block.signature });
        return events;
      }
      case 'redacted_thinking':
        return [{ type: 'block_start', index, block: { kind: 'reasoning', origin: 'anthropic', redactedData: stringOr(block.data, '')! } }];
      default:
        this.skipped.add(index);
        this.warnings.add(`Anthropic stream blocks of type ${String(block.type)} cannot be translated; dropped.`);
        return [];
    }
  }

  private blockDelta(data: JsonObject): CanonicalStreamEvent[] {
    const index = Number(data.index);
    if (this.skipped.has(index)) return [];
    const delta = isRecord(data.delta) ? data.delta : {};
    switch (delta.type) {
      case 'text_delta':
        return [{ type: 'text_delta', index, text: stringOr(delta.text, '')! }];
      case 'input_json_delta':
        return [{ type: 'tool_arguments_delta', index, json: stringOr(delta.partial_json, '')! }];
      case 'thinking_delta':
        return [{ type: 'reasoning_delta', index, text: stringOr(delta.thinking, '')! }];
      case 'signature_delta':
        return [{ type: 'signature', index, signature: stringOr(delta.signature, '')! }];
      default:
        return []; // citations_delta: citations have no equivalent elsewhere
    }
  }
}
