// Canonical events -> OpenAI Responses SSE for a Responses client (Codex). Every item is announced with
// `response.output_item.added` and finished with `response.output_item.done`; the stream ends with
// `response.completed` (or `.incomplete`) carrying all output items and usage, or with `error` +
// `response.failed`. Codex depends on both output_item.done and the terminal event.
import type { CanonicalBlockStart, CanonicalStreamEvent } from '../canonical/canonical-stream-event.ts';
import type { CanonicalStopReason, CanonicalUsage } from '../canonical/canonical-response.ts';
import type { EncodeResponseOptions, StreamEncoder } from '../codec.ts';
import type { JsonObject } from '../canonical/json-values.ts';
import { clientToolName, customToolInput, isClientCustomTool } from '../canonical/client-tools.ts';
import { newId, nowSeconds } from '../canonical/ids.ts';
import { ReasoningAccumulator } from '../canonical/reasoning-accumulator.ts';
import { encodeEnvelope, stripReasoningType } from '../canonical/reasoning-envelope.ts';
import { namedSseEvent } from '../sse/sse-writer.ts';
import { signatureCarrierItem } from './encode-items.ts';
import { responseObject } from './encode-response.ts';
import { responsesFailureEvents } from './error-events.ts';
import { statusForStopReason } from './responses-vocabulary.ts';

interface OpenItem {
  kind: CanonicalBlockStart['kind'] | 'custom';
  outputIndex: number;
  item: JsonObject;
  buffer: string;
  reasoning?: ReasoningAccumulator;
  native?: boolean;
  summaryIndex?: number;
  summaries: string[];
  trailingSignature?: string;
  /** What a text delta of this item is written around: before its sequence number, after it, after the text. */
  textDeltaFrame?: [string, string, string];
}

export class ResponsesStreamEncoder implements StreamEncoder {
  private readonly options: EncodeResponseOptions;
  private sequence = 0;
  private responseId = newId('resp_');
  private readonly createdAt = nowSeconds();
  private started = false;
  private readonly output: JsonObject[] = [];
  private open: OpenItem | undefined;

  constructor(options: EncodeResponseOptions) {
    this.options = options;
  }

  encode(event: CanonicalStreamEvent): string {
    switch (event.type) {
      case 'message_start':
        if (event.id?.startsWith('resp_')) this.responseId = event.id;
        return this.start();
      case 'block_start':
        return this.startBlock(event.block);
      case 'text_delta':
        return this.textDelta(event.text);
      case 'reasoning_delta':
        return this.reasoningDelta(event.text, event.summaryIndex);
      case 'tool_arguments_delta':
        return this.argumentsDelta(event.json);
      case 'signature':
        if (this.open?.reasoning) this.open.reasoning.addSignature(event.signature);
        else if (this.open) this.open.trailingSignature = event.signature;
        return '';
      case 'block_stop':
        return this.stopBlock();
      case 'usage':
        return '';
      case 'message_stop':
        return this.finish(event.stopReason, event.usage);
      case 'error':
        return this.start() + responsesFailureEvents(event.error, (type, payload) => this.emit(type, payload), (error) => this.response('failed', undefined, undefined, error));
    }
  }

  private emit(type: string, payload: JsonObject): string {
    return namedSseEvent(type, { type, sequence_number: this.sequence++, ...payload });
  }

  private response(status: string, usage?: CanonicalUsage, stopReason?: CanonicalStopReason, error?: JsonObject): JsonObject {
    return responseObject({ id: this.responseId, createdAt: this.createdAt, model: this.options.model, status, output: this.output, usage, stopReason, error });
  }

  private start(): string {
    if (this.started) return '';
    this.started = true;
    const response = this.response('in_progress');
    return this.emit('response.created', { response }) + this.emit('response.in_progress', { response });
  }

  private addItem(item: JsonObject): number {
    this.output.push(item);
    return this.output.length - 1;
  }

  private completeCarrier(signature: string, attach: 'next' | 'previous'): string {
    const item = signatureCarrierItem(signature, attach);
    const outputIndex = this.addItem(item);
    return this.emit('response.output_item.added', { output_index: outputIndex, item }) + this.emit('response.output_item.done', { output_index: outputIndex, item });
  }

  private startBlock(block: CanonicalBlockStart): string {
    let out = '';
    if (block.kind !== 'reasoning' && block.thoughtSignature) out += this.completeCarrier(block.thoughtSignature, 'next');
    let item: JsonObject;
    let kind: OpenItem['kind'] = block.kind;
    const open: Omit<OpenItem, 'item' | 'outputIndex' | 'kind'> = { buffer: '', summaries: [] };
    if (block.kind === 'text') item = { id: newId('msg_'), type: 'message', status: 'in_progress', role: 'assistant', content: [] };
    else if (block.kind === 'reasoning') {
      open.native = block.origin === 'openai-responses';
      open.reasoning = new ReasoningAccumulator(block.origin, block.id, block.redactedData);
      item = { id: open.native && block.id ? block.id : newId('rs_'), type: 'reasoning', summary: [] };
    } else if (isClientCustomTool(block.name, this.options)) {
      kind = 'custom';
      item = { id: newId('ctc_'), type: 'custom_tool_call', status: 'in_progress', call_id: block.id, name: clientToolName(block.name, this.options), input: '' };
    } else {
      item = { id: newId('fc_'), type: 'function_call', status: 'in_progress', call_id: block.id, name: clientToolName(block.name, this.options), arguments: '' };
    }
    const outputIndex = this.addItem(item);
    this.open = { ...open, kind, item, outputIndex };
    out += this.emit('response.output_item.added', { output_index: outputIndex, item: { ...item } });
    if (block.kind === 'text') {
      out += this.emit('response.content_part.added', { item_id: item.id, output_index: outputIndex, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
    }
    return out;
  }

  private textDelta(text: string): string {
    const open = this.open;
    if (open?.kind !== 'text' || text === '') return '';
    open.buffer += text;
    // Byte-for-byte what emit('response.output_text.delta', { item_id, output_index, content_index: 0, delta, logprobs: [] })
    // gives (encode-stream.test.ts proves it), without an object to stringify per delta.
    const frame = (open.textDeltaFrame ??= [
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":',
      `,"item_id":${JSON.stringify(open.item.id)},"output_index":${open.outputIndex},"content_index":0,"delta":`,
      ',"logprobs":[]}\n\n',
    ]);
    return frame[0] + this.sequence++ + frame[1] + JSON.stringify(text) + frame[2];
  }

  private reasoningDelta(text: string, summaryIndex: number | undefined): string {
    const open = this.open;
    if (!open?.reasoning || text === '') return '';
    open.reasoning.addDelta(text, summaryIndex);
    const index = open.native ? (summaryIndex ?? 0) : 0;
    let out = '';
    if (open.summaryIndex !== index) {
      out += this.closeSummary(open);
      open.summaryIndex = index;
      open.summaries[index] = '';
      out += this.emit('response.reasoning_summary_part.added', { item_id: open.item.id, output_index: open.outputIndex, summary_index: index, part: { type: 'summary_text', text: '' } });
    }
    open.summaries[index] += text;
    return out + this.emit('response.reasoning_summary_text.delta', { item_id: open.item.id, output_index: open.outputIndex, summary_index: index, delta: text });
  }

  private closeSummary(open: OpenItem): string {
    if (open.summaryIndex === undefined) return '';
    const index = open.summaryIndex;
    const text = open.summaries[index] ?? '';
    open.summaryIndex = undefined;
    return (
      this.emit('response.reasoning_summary_text.done', { item_id: open.item.id, output_index: open.outputIndex, summary_index: index, text }) +
      this.emit('response.reasoning_summary_part.done', { item_id: open.item.id, output_index: open.outputIndex, summary_index: index, part: { type: 'summary_text', text } })
    );
  }

  private argumentsDelta(json: string): string {
    const open = this.open;
    if (!open || json === '') return '';
    open.buffer += json;
    if (open.kind !== 'tool_call') return '';
    return this.emit('response.function_call_arguments.delta', { item_id: open.item.id, output_index: open.outputIndex, delta: json });
  }

  private stopBlock(): string {
    const open = this.open;
    if (!open) return '';
    this.open = undefined;
    const { item, outputIndex } = open;
    let out = '';
    if (open.kind === 'text') {
      const part = { type: 'output_text', text: open.buffer, annotations: [], logprobs: [] };
      out += this.emit('response.output_text.done', { item_id: item.id, output_index: outputIndex, content_index: 0, text: open.buffer, logprobs: [] });
      out += this.emit('response.content_part.done', { item_id: item.id, output_index: outputIndex, content_index: 0, part });
      Object.assign(item, { status: 'completed', content: [part] });
    } else if (open.kind === 'reasoning' && open.reasoning) {
      out += this.closeSummary(open);
      const part = open.reasoning.toPart();
      item.summary = open.summaries.map((text) => ({ type: 'summary_text', text: text ?? '' }));
      if (open.native) {
        if (part.encryptedContent !== undefined) item.encrypted_content = part.encryptedContent;
      } else {
        item.encrypted_content = encodeEnvelope({ reasoning: [stripReasoningType(part)] });
      }
    } else if (open.kind === 'tool_call') {
      const args = open.buffer === '' ? '{}' : open.buffer;
      out += this.emit('response.function_call_arguments.done', { item_id: item.id, output_index: outputIndex, name: item.name, arguments: args });
      Object.assign(item, { status: 'completed', arguments: args });
    } else {
      const input = customToolInput(open.buffer);
      out += this.emit('response.custom_tool_call_input.delta', { item_id: item.id, output_index: outputIndex, delta: input });
      out += this.emit('response.custom_tool_call_input.done', { item_id: item.id, output_index: outputIndex, input });
      Object.assign(item, { status: 'completed', input });
    }
    out += this.emit('response.output_item.done', { output_index: outputIndex, item: { ...item } });
    if (open.trailingSignature) out += this.completeCarrier(open.trailingSignature, 'previous');
    return out;
  }

  private finish(stopReason: CanonicalStopReason, usage: CanonicalUsage | undefined): string {
    const { status } = statusForStopReason(stopReason);
    const type = status === 'completed' ? 'response.completed' : 'response.incomplete';
    return this.start() + this.emit(type, { response: this.response('completed', usage ?? {}, stopReason) });
  }
}
