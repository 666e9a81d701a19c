// Canonical events -> OpenAI Chat SSE for an OpenAI Chat client: `chat.completion.chunk` objects, a finish
// chunk, a usage chunk when the client asked for `stream_options.include_usage`, then `data: [DONE]`.
import type { CanonicalStreamEvent } from '../canonical/canonical-stream-event.ts';
import type { EncodeResponseOptions, StreamEncoder } from '../codec.ts';
import { clientToolName, customToolInput, isClientCustomTool } from '../canonical/client-tools.ts';
import { newId, nowSeconds } from '../canonical/ids.ts';
import { dataSseEvent } from '../sse/sse-writer.ts';
import { chatStreamFailure } from './error-body.ts';
import { stopReasonToChat, usageToChat } from './chat-vocabulary.ts';

interface OpenTool {
  toolIndex: number;
  id: string;
  name: string;
  custom: boolean;
  buffered: string;
}

export class ChatStreamEncoder implements StreamEncoder {
  private readonly options: EncodeResponseOptions;
  private id = newId('chatcmpl-');
  private readonly created = nowSeconds();
  private nextToolIndex = 0;
  private openTool: OpenTool | undefined;
  private warnedSignatures = false;
  /** What a text chunk is written between: everything chunk() gives around the text (built on the first one). */
  private textFrame: [before: string, after: string] | undefined;

  constructor(options: EncodeResponseOptions) {
    this.options = options;
  }

  encode(event: CanonicalStreamEvent): string {
    switch (event.type) {
      case 'message_start':
        if (event.id?.startsWith('chatcmpl')) this.id = event.id;
        this.textFrame = undefined;
        return this.chunk({ role: 'assistant', content: '' });
      case 'block_start':
        if (event.block.kind !== 'tool_call') return '';
        return this.startTool(event.block.id, event.block.name);
      case 'text_delta': {
        // The most frequent event by far: the stringified text inside the frame, byte-for-byte what chunk() gives
        // (encode-stream.test.ts proves it), without an envelope and an object to stringify per chunk.
        if (event.text === '') return '';
        const frame = (this.textFrame ??= this.textFrameOf());
        return frame[0] + JSON.stringify(event.text) + frame[1];
      }
      case 'reasoning_delta':
        return event.text === '' ? '' : this.chunk({ reasoning_content: event.text });
      case 'tool_arguments_delta': {
        const tool = this.openTool;
        if (!tool || event.json === '') return '';
        if (tool.custom) {
          tool.buffered += event.json;
          return '';
        }
        return this.chunk({ tool_calls: [{ index: tool.toolIndex, function: { arguments: event.json } }] });
      }
      case 'signature':
        if (!this.warnedSignatures) {
          this.warnedSignatures = true;
          this.options.warnings.add('Reasoning signatures cannot travel through an OpenAI Chat client; the next turn continues without them.');
        }
        return '';
      case 'block_stop':
        return this.stopTool();
      case 'usage':
        return '';
      case 'message_stop': {
        let out = this.chunk({}, stopReasonToChat(event.stopReason));
        if (this.options.includeUsage) out += dataSseEvent({ ...this.envelope(), choices: [], usage: usageToChat(event.usage) });
        return out + 'data: [DONE]\n\n';
      }
      case 'error':
        return chatStreamFailure(event.error);
    }
  }

  private envelope(): Record<string, unknown> {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.options.model };
  }

  /**
   * What chunk({ content: text }) writes before and after the stringified text. A marker stands in for the text; the
   * envelope's own strings (id, model) come before the delta, so its last occurrence is the delta's.
   */
  private textFrameOf(): [string, string] {
    const marker = '"switchyard-text-hole"';
    const whole = this.chunk({ content: marker.slice(1, -1) });
    const at = whole.lastIndexOf(marker);
    return [whole.slice(0, at), whole.slice(at + marker.length)];
  }

  private chunk(delta: Record<string, unknown>, finishReason: string | null = null): string {
    return dataSseEvent({ ...this.envelope(), choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }] });
  }

  private startTool(id: string, upstreamName: string): string {
    const name = clientToolName(upstreamName, this.options);
    const custom = isClientCustomTool(upstreamName, this.options);
    const tool: OpenTool = { toolIndex: this.nextToolIndex++, id, name, custom, buffered: '' };
    this.openTool = tool;
    if (custom) return '';
    return this.chunk({ tool_calls: [{ index: tool.toolIndex, id, type: 'function', function: { name, arguments: '' } }] });
  }

  private stopTool(): string {
    const tool = this.openTool;
    this.openTool = undefined;
    if (!tool?.custom) return '';
    return this.chunk({ tool_calls: [{ index: tool.toolIndex, id: tool.id, type: 'custom', custom: { name: tool.name, input: customToolInput(tool.buffered) } }] });
  }
}
