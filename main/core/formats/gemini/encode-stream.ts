// Canonical events -> Gemini SSE for a Gemini client: each event becomes a `data:` GenerateContentResponse chunk.
// Text and thoughts stream as they come; a function call is sent whole when its arguments are complete (Gemini
// has no partial function calls). The last chunk carries finishReason and usageMetadata.
import type { CanonicalStreamEvent } from '../canonical/canonical-stream-event.ts';
import type { EncodeResponseOptions, StreamEncoder } from '../codec.ts';
import { parseJsonObject, type JsonObject } from '../canonical/json-values.ts';
import { clientToolName } from '../canonical/client-tools.ts';
import { newId } from '../canonical/ids.ts';
import { ReasoningAccumulator } from '../canonical/reasoning-accumulator.ts';
import { encodeEnvelope, stripReasoningType } from '../canonical/reasoning-envelope.ts';
import type { ReasoningPart } from '../canonical/canonical-request.ts';
import { dataSseEvent } from '../sse/sse-writer.ts';
import { geminiStreamFailure } from './error-body.ts';
import { stopReasonToGemini, usageToGemini } from './gemini-vocabulary.ts';

interface OpenBlock {
  kind: 'text' | 'reasoning' | 'tool_call';
  foreign?: ReasoningAccumulator;
  tool?: { id: string; name: string; args: string; signature?: string };
  /** A Gemini signature known at block start, for the block's first part. */
  signature?: string;
}

export class GeminiStreamEncoder implements StreamEncoder {
  private readonly options: EncodeResponseOptions;
  private responseId = newId('');
  private open: OpenBlock | undefined;
  /** Reasoning from another format, waiting to ride on the next non-thought part. */
  private pending: Omit<ReasoningPart, 'type'>[] = [];
  private readonly displayOnly = encodeEnvelope({ displayOnly: true });

  constructor(options: EncodeResponseOptions) {
    this.options = options;
  }

  encode(event: CanonicalStreamEvent): string {
    switch (event.type) {
      case 'message_start':
        if (event.id) this.responseId = event.id;
        return '';
      case 'block_start': {
        const block = event.block;
        if (block.kind === 'tool_call') this.open = { kind: 'tool_call', tool: { id: block.id, name: clientToolName(block.name, this.options), args: '', signature: block.thoughtSignature } };
        else if (block.kind === 'text') this.open = { kind: 'text', signature: block.thoughtSignature };
        else this.open = { kind: 'reasoning', ...(block.origin !== 'gemini' ? { foreign: new ReasoningAccumulator(block.origin, block.id, block.redactedData) } : {}) };
        return '';
      }
      case 'text_delta':
        return event.text === '' ? '' : this.part({ text: event.text });
      case 'reasoning_delta': {
        if (!this.open || event.text === '') return '';
        if (this.open.foreign) {
          this.open.foreign.addDelta(event.text, event.summaryIndex);
          return this.chunk([{ text: event.text, thought: true, thoughtSignature: this.displayOnly }]);
        }
        return this.chunk([{ text: event.text, thought: true }]);
      }
      case 'tool_arguments_delta':
        if (this.open?.tool) this.open.tool.args += event.json;
        return '';
      case 'signature':
        return this.signature(event.signature);
      case 'block_stop':
        return this.stopBlock();
      case 'usage':
        return '';
      case 'message_stop': {
        const parts: JsonObject[] = [];
        if (this.pending.length) parts.push({ text: '', thought: true, thoughtSignature: encodeEnvelope({ reasoning: this.pending }) });
        this.pending = [];
        const candidate: JsonObject = { ...(parts.length ? { content: { role: 'model', parts } } : {}), finishReason: stopReasonToGemini(event.stopReason), index: 0 };
        return dataSseEvent({ candidates: [candidate], usageMetadata: usageToGemini(event.usage), modelVersion: this.options.model, responseId: this.responseId });
      }
      case 'error':
        return geminiStreamFailure(event.error);
    }
  }

  private chunk(parts: JsonObject[]): string {
    return dataSseEvent({ candidates: [{ content: { role: 'model', parts }, index: 0 }], modelVersion: this.options.model, responseId: this.responseId });
  }

  /** A non-thought part: takes any pending foreign reasoning (or the block's own signature) as thoughtSignature. */
  private part(part: JsonObject): string {
    if (this.pending.length) {
      part.thoughtSignature = encodeEnvelope({ reasoning: this.pending });
      this.pending = [];
    } else if (this.open?.signature) {
      part.thoughtSignature = this.open.signature;
      this.open.signature = undefined;
    }
    return this.chunk([part]);
  }

  private signature(signature: string): string {
    const open = this.open;
    if (!open) return '';
    if (open.foreign) {
      open.foreign.addSignature(signature);
      return '';
    }
    if (open.tool) {
      open.tool.signature = signature;
      return '';
    }
    if (open.kind === 'reasoning') return this.chunk([{ text: '', thought: true, thoughtSignature: signature }]);
    open.signature = signature;
    return '';
  }

  private stopBlock(): string {
    const open = this.open;
    this.open = undefined;
    if (!open) return '';
    if (open.foreign) {
      this.pending.push(stripReasoningType(open.foreign.toPart()));
      return '';
    }
    if (open.tool) {
      const args = parseJsonObject(open.tool.args);
      if (!args) this.options.warnings.add(`Tool call ${open.tool.id} had arguments that are not a JSON object; sent as {"input": <text>}.`);
      const part: JsonObject = { functionCall: { id: open.tool.id, name: open.tool.name, args: args ?? { input: open.tool.args } } };
      if (open.tool.signature && !this.pending.length) part.thoughtSignature = open.tool.signature;
      return this.part(part);
    }
    if (open.kind === 'text' && open.signature) {
      // A signature that arrived after the block's text: Gemini lets it ride on an empty text part.
      return this.chunk([{ text: '', thoughtSignature: open.signature }]);
    }
    return '';
  }
}
