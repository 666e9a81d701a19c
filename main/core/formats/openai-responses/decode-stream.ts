// OpenAI Responses SSE stream (upstream) -> canonical events (docs/wire-formats.md, OpenAI Responses).
// Each output item becomes a block (a message item: one block per content part). Encrypted reasoning arrives
// with `response.output_item.done` and becomes the reasoning block's signature.
import type { CanonicalStreamEvent } from '../canonical/canonical-stream-event.ts';
import { isRecord, numberOr, stringOr, type JsonObject } from '../canonical/json-values.ts';
import { StreamJsonReader } from '../canonical/stream-json.ts';
import type { Warnings } from '../canonical/warnings.ts';
import type { StreamDecoder } from '../codec.ts';
import type { SseEvent } from '../sse/sse-parser.ts';
import { appendEvents } from '../stream/append-events.ts';
import { stopReasonFromResponses, usageFromResponses } from './responses-vocabulary.ts';

interface ItemState {
  type: string;
  /** Block index of the item (reasoning, calls) or of its current content part (messages). */
  index: number | undefined;
  sawArguments: boolean;
  customInput: string;
}

export class ResponsesStreamDecoder implements StreamDecoder {
  private readonly warnings: Warnings;
  private nextIndex = 0;
  private readonly items = new Map<number, ItemState>();
  private sawToolCall = false;
  private refused = false;
  /** Parses the events' data; what it returns is read here and not kept (stream-json.ts). */
  private readonly json = new StreamJsonReader();

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
    const type = stringOr(data.type) ?? sse.event;
    const item = this.items.get(numberOr(data.output_index) ?? -1);
    switch (type) {
      case 'response.created': {
        const response = isRecord(data.response) ? data.response : {};
        return [{ type: 'message_start', id: stringOr(response.id), model: stringOr(response.model) }];
      }
      case 'response.output_item.added':
        return this.itemAdded(data);
      case 'response.content_part.added':
        return item ? this.openTextBlock(item) : [];
      case 'response.output_text.delta':
      case 'response.refusal.delta': {
        if (!item) return [];
        if (type === 'response.refusal.delta') this.refused = true;
        const events = item.index === undefined ? this.openTextBlock(item) : [];
        return [...events, { type: 'text_delta', index: item.index!, text: stringOr(data.delta, '')! }];
      }
      case 'response.content_part.done':
        return item ? this.closeBlock(item) : [];
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta': {
        if (item?.index === undefined) return [];
        const summaryIndex = type === 'response.reasoning_summary_text.delta' ? (numberOr(data.summary_index) ?? 0) : undefined;
        return [{ type: 'reasoning_delta', index: item.index, text: stringOr(data.delta, '')!, ...(summaryIndex !== undefined ? { summaryIndex } : {}) }];
      }
      case 'response.function_call_arguments.delta':
        if (item?.index === undefined) return [];
        item.sawArguments = true;
        return [{ type: 'tool_arguments_delta', index: item.index, json: stringOr(data.delta, '')! }];
      case 'response.custom_tool_call_input.delta':
        if (item) item.customInput += stringOr(data.delta, '')!;
        return [];
      case 'response.output_item.done':
        return item ? this.itemDone(item, isRecord(data.item) ? data.item : {}) : [];
      case 'response.completed':
      case 'response.incomplete': {
        const response = isRecord(data.response) ? data.response : {};
        const usage = usageFromResponses(response.usage);
        const stopReason = this.refused ? 'refusal' : stopReasonFromResponses(response.status, response.incomplete_details, this.sawToolCall);
        return [...(usage ? [{ type: 'usage' as const, usage }] : []), { type: 'message_stop', stopReason }];
      }
      case 'response.failed': {
        const response = isRecord(data.response) ? data.response : {};
        const error = isRecord(response.error) ? response.error : {};
        return [{ type: 'error', error: { status: 502, message: stringOr(error.message, 'The upstream response failed')!, code: stringOr(error.code) } }];
      }
      case 'error':
        return [{ type: 'error', error: { status: errorStatus(data), message: stringOr(data.message, 'Upstream stream error')!, code: stringOr(data.code) } }];
      default:
        return [];
    }
  }

  end(out: CanonicalStreamEvent[] = []): CanonicalStreamEvent[] {
    return out;
  }

  private itemAdded(data: JsonObject): CanonicalStreamEvent[] {
    const outputIndex = numberOr(data.output_index) ?? this.items.size;
    const item = isRecord(data.item) ? data.item : {};
    const type = stringOr(item.type, '')!;
    const state: ItemState = { type, index: undefined, sawArguments: false, customInput: '' };
    this.items.set(outputIndex, state);
    switch (type) {
      case 'reasoning':
        state.index = this.nextIndex++;
        return [{ type: 'block_start', index: state.index, block: { kind: 'reasoning', origin: 'openai-responses', ...(typeof item.id === 'string' ? { id: item.id } : {}) } }];
      case 'function_call':
      case 'custom_tool_call':
        state.index = this.nextIndex++;
        this.sawToolCall = true;
        return [{
          type: 'block_start',
          index: state.index,
          block: { kind: 'tool_call', id: stringOr(item.call_id, '')!, name: stringOr(item.name, '')!, toolKind: type === 'custom_tool_call' ? 'custom' : 'function' },
        }];
      case 'message':
        return [];
      default:
        this.warnings.add(`OpenAI Responses output items of type ${type} cannot be translated; dropped.`);
        return [];
    }
  }

  private openTextBlock(item: ItemState): CanonicalStreamEvent[] {
    if (item.type !== 'message' || item.index !== undefined) return [];
    item.index = this.nextIndex++;
    return [{ type: 'block_start', index: item.index, block: { kind: 'text' } }];
  }

  private closeBlock(item: ItemState): CanonicalStreamEvent[] {
    if (item.index === undefined) return [];
    const index = item.index;
    item.index = undefined;
    return [{ type: 'block_stop', index }];
  }

  private itemDone(item: ItemState, done: JsonObject): CanonicalStreamEvent[] {
    const index = item.index;
    if (index === undefined) return [];
    const events: CanonicalStreamEvent[] = [];
    if (item.type === 'reasoning' && typeof done.encrypted_content === 'string') events.push({ type: 'signature', index, signature: done.encrypted_content });
    if (item.type === 'function_call' && !item.sawArguments && typeof done.arguments === 'string' && done.arguments !== '') {
      events.push({ type: 'tool_arguments_delta', index, json: done.arguments });
    }
    if (item.type === 'custom_tool_call') {
      const input = typeof done.input === 'string' ? done.input : item.customInput;
      events.push({ type: 'tool_arguments_delta', index, json: JSON.stringify({ input }) });
    }
    return [...events, ...this.closeBlock(item)];
  }
}

function errorStatus(data: JsonObject): number {
  const code = stringOr(data.code) ?? '';
  if (/rate_limit/.test(code)) return 429;
  if (/insufficient_quota/.test(code)) return 429;
  if (/overloaded/.test(code)) return 503;
  return 500;
}
