// Canonical events -> Anthropic SSE for an Anthropic client (Claude Code). Block indexes are the client's own,
// counted from 0 in the order blocks are started; carrier thinking blocks take indexes of their own.
import type { CanonicalStreamEvent, CanonicalBlockStart } from '../canonical/canonical-stream-event.ts';
import type { EncodeResponseOptions, StreamEncoder } from '../codec.ts';
import { clientToolName } from '../canonical/client-tools.ts';
import { newId } from '../canonical/ids.ts';
import { ReasoningAccumulator } from '../canonical/reasoning-accumulator.ts';
import { encodeEnvelope, stripReasoningType } from '../canonical/reasoning-envelope.ts';
import { namedSseEvent } from '../sse/sse-writer.ts';
import { anthropicStreamFailure } from './error-body.ts';
import { stopReasonToAnthropic, usageToAnthropic } from './anthropic-vocabulary.ts';

interface OpenBlock {
  kind: CanonicalBlockStart['kind'];
  clientIndex: number;
  foreign?: ReasoningAccumulator;
  lastSummaryIndex?: number;
  /** A Gemini signature that arrived while a text or tool block was open: carried after it. */
  trailingSignature?: string;
  /** What a text delta of this block is written after, up to its text (built on the first delta). */
  textDeltaStart?: string;
}

export class AnthropicStreamEncoder implements StreamEncoder {
  private nextIndex = 0;
  private open: OpenBlock | undefined;

  private readonly options: EncodeResponseOptions;

  constructor(options: EncodeResponseOptions) {
    this.options = options;
  }

  encode(event: CanonicalStreamEvent): string {
    switch (event.type) {
      case 'message_start': {
        const id = event.id?.startsWith('msg_') ? event.id : newId('msg_');
        const message = { id, type: 'message', role: 'assistant', model: this.options.model, content: [], stop_reason: null, stop_sequence: null, usage: usageToAnthropic(event.usage) };
        return namedSseEvent('message_start', { type: 'message_start', message });
      }
      case 'block_start':
        return this.startBlock(event.block);
      case 'text_delta':
        // The most frequent event by far: written directly, byte-for-byte what stringifying the object would give
        // (encode-stream.test.ts proves it), without building and walking an object per chunk.
        // The constant start is built once per block: each delta is then one stringified text between two strings.
        if (!this.open) return '';
        this.open.textDeltaStart ??= `event: content_block_delta\ndata: {"type":"content_block_delta","index":${this.open.clientIndex},"delta":{"type":"text_delta","text":`;
        return this.open.textDeltaStart + JSON.stringify(event.text) + '}}\n\n';
      case 'reasoning_delta': {
        const open = this.open;
        if (!open) return '';
        open.foreign?.addDelta(event.text, event.summaryIndex);
        let text = event.text;
        if (event.summaryIndex !== undefined && open.lastSummaryIndex !== undefined && event.summaryIndex !== open.lastSummaryIndex) text = `\n\n${text}`;
        if (event.summaryIndex !== undefined) open.lastSummaryIndex = event.summaryIndex;
        return this.delta({ type: 'thinking_delta', thinking: text });
      }
      case 'tool_arguments_delta':
        return this.delta({ type: 'input_json_delta', partial_json: event.json });
      case 'signature':
        return this.signature(event.signature);
      case 'block_stop':
        return this.stopBlock();
      case 'usage':
        return '';
      case 'message_stop': {
        const usage = usageToAnthropic(event.usage);
        return (
          namedSseEvent('message_delta', { type: 'message_delta', delta: { stop_reason: stopReasonToAnthropic(event.stopReason), stop_sequence: event.stopSequence ?? null }, usage }) +
          namedSseEvent('message_stop', { type: 'message_stop' })
        );
      }
      case 'error':
        return anthropicStreamFailure(event.error);
    }
  }

  private blockEvents(contentBlock: Record<string, unknown>, deltas: Record<string, unknown>[]): string {
    const index = this.nextIndex++;
    let out = namedSseEvent('content_block_start', { type: 'content_block_start', index, content_block: contentBlock });
    for (const delta of deltas) out += namedSseEvent('content_block_delta', { type: 'content_block_delta', index, delta });
    return out + namedSseEvent('content_block_stop', { type: 'content_block_stop', index });
  }

  private geminiCarrier(signature: string, attach: 'next' | 'previous'): string {
    const envelope = encodeEnvelope({ geminiSignature: { signature, attach } });
    return this.blockEvents({ type: 'thinking', thinking: '', signature: '' }, [{ type: 'signature_delta', signature: envelope }]);
  }

  private startBlock(block: CanonicalBlockStart): string {
    let out = '';
    if (block.kind !== 'reasoning' && block.thoughtSignature) out += this.geminiCarrier(block.thoughtSignature, 'next');
    const clientIndex = this.nextIndex++;
    let contentBlock: Record<string, unknown>;
    const open: OpenBlock = { kind: block.kind, clientIndex };
    if (block.kind === 'text') contentBlock = { type: 'text', text: '' };
    else if (block.kind === 'tool_call') contentBlock = { type: 'tool_use', id: block.id, name: clientToolName(block.name, this.options), input: {} };
    else if (block.origin === 'anthropic' && block.redactedData !== undefined) contentBlock = { type: 'redacted_thinking', data: block.redactedData };
    else {
      contentBlock = { type: 'thinking', thinking: '', signature: '' };
      if (block.origin !== 'anthropic') open.foreign = new ReasoningAccumulator(block.origin, block.id, block.redactedData);
    }
    this.open = open;
    return out + namedSseEvent('content_block_start', { type: 'content_block_start', index: clientIndex, content_block: contentBlock });
  }

  private delta(delta: Record<string, unknown>): string {
    if (!this.open) return '';
    return namedSseEvent('content_block_delta', { type: 'content_block_delta', index: this.open.clientIndex, delta });
  }

  private signature(signature: string): string {
    const open = this.open;
    if (!open) return '';
    if (open.kind !== 'reasoning') {
      open.trailingSignature = signature;
      return '';
    }
    if (open.foreign) {
      open.foreign.addSignature(signature);
      return '';
    }
    return this.delta({ type: 'signature_delta', signature });
  }

  private stopBlock(): string {
    const open = this.open;
    if (!open) return '';
    this.open = undefined;
    let out = '';
    if (open.foreign) {
      const envelope = encodeEnvelope({ reasoning: [stripReasoningType(open.foreign.toPart())] });
      out += namedSseEvent('content_block_delta', { type: 'content_block_delta', index: open.clientIndex, delta: { type: 'signature_delta', signature: envelope } });
    }
    out += namedSseEvent('content_block_stop', { type: 'content_block_stop', index: open.clientIndex });
    if (open.trailingSignature) out += this.geminiCarrier(open.trailingSignature, 'previous');
    return out;
  }
}
