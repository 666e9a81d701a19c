import { randomUUID } from 'node:crypto';
import type { CanonicalUsage } from '../../formats/canonical/canonical-response.ts';
import { isRecord } from '../../formats/canonical/json-values.ts';
import { anthropicErrorType } from '../../formats/anthropic/error-body.ts';
import { usageToAnthropic } from '../../formats/anthropic/anthropic-vocabulary.ts';
import type { EventFrame } from './event-stream-frames.ts';
import { headerText } from './event-stream-frames.ts';
import { kiroUsageFromEvent } from './kiro-usage.ts';

// CodeWhisperer's answer events -> Anthropic Messages stream events (the adapter's native format), one decision per
// event type (docs/wire-formats.md "CodeWhisperer answer events"): text and code chunks become a text block,
// reasoning a thinking block, tool-use fragments one tool_use block per toolUseId with its input fragments joined,
// metadata / metrics the usage, and an exception frame an Anthropic error event.

export type AnthropicEvent = { type: string } & Record<string, unknown>;

type OpenBlock = { kind: 'text' } | { kind: 'thinking' } | { kind: 'tool' };

/** Status for an exception CodeWhisperer names, so the error reads right in every client format. */
function statusOfException(name: string): number {
  if (/Throttling|TooManyRequests/i.test(name)) return 429;
  if (/ServiceQuotaExceeded|QuotaExceeded|MonthlyLimit/i.test(name)) return 402;
  if (/AccessDenied|Unauthorized/i.test(name)) return 403;
  if (/Validation|BadRequest|ContentLength|InvalidInput/i.test(name)) return 400;
  if (/ResourceNotFound/i.test(name)) return 404;
  if (/ServiceUnavailable|Overloaded/i.test(name)) return 503;
  return 502;
}

export interface KiroFailure {
  status: number;
  message: string;
}

export class KiroAnswerAssembler {
  readonly #model: string;
  readonly #id = `msg_kiro_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  #started = false;
  #ended = false;
  #index = -1;
  #open: OpenBlock | undefined;
  #sawTool = false;
  readonly #pendingTools = new Map<string, { name: string; input: string }>();
  readonly #emittedTools = new Set<string>();
  #usage: CanonicalUsage | undefined;
  #failure: KiroFailure | undefined;

  constructor(model: string) {
    this.#model = model;
  }

  get ended(): boolean {
    return this.#ended;
  }

  get failure(): KiroFailure | undefined {
    return this.#failure;
  }

  usage(): CanonicalUsage | undefined {
    return this.#usage;
  }

  frame(frame: EventFrame): AnthropicEvent[] {
    if (this.#ended) return [];
    const messageType = headerText(frame, ':message-type') ?? 'event';
    let payload: unknown;
    try {
      payload = frame.payload.length > 0 ? JSON.parse(frame.payload.toString('utf8')) : {};
    } catch {
      payload = { message: frame.payload.toString('utf8').slice(0, 300) };
    }
    if (messageType !== 'event') {
      const name = headerText(frame, ':exception-type') ?? headerText(frame, ':error-code') ?? 'error';
      const detail = isRecord(payload) && typeof payload.message === 'string' ? payload.message : (headerText(frame, ':error-message') ?? '');
      return this.fail({ status: statusOfException(name), message: `kiro: ${name}${detail ? `: ${detail}` : ''}` });
    }
    const body = isRecord(payload) ? payload : {};
    const usage = kiroUsageFromEvent(headerText(frame, ':event-type'), body);
    if (usage) this.#usage = { ...this.#usage, ...usage };
    switch (headerText(frame, ':event-type')) {
      case 'assistantResponseEvent':
      case 'codeEvent':
        return typeof body.content === 'string' && body.content !== '' ? this.#text(body.content) : [];
      case 'reasoningContentEvent':
        return this.#reasoning(body);
      case 'toolUseEvent':
        return this.#toolUse(body);
      default:
        return [];
    }
  }

  /** Ends the answer with an error event (an exception frame, a damaged frame, a cut-off stream). */
  fail(failure: KiroFailure): AnthropicEvent[] {
    if (this.#ended) return [];
    this.#ended = true;
    this.#failure = failure;
    return [{ type: 'error', error: { type: anthropicErrorType(failure.status), message: failure.message } }];
  }

  /** The upstream ended normally: close what is open and say why the model stopped. */
  finish(): AnthropicEvent[] {
    if (this.#ended) return [];
    const events = [...this.#start(), ...this.#close()];
    // A call whose last fragment never said stop is still a call: it goes out with what arrived.
    for (const id of [...this.#pendingTools.keys()]) events.push(...this.#emitTool(id));
    this.#ended = true;
    events.push(
      { type: 'message_delta', delta: { stop_reason: this.#sawTool ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: usageToAnthropic(this.#usage) },
      { type: 'message_stop' },
    );
    return events;
  }

  #start(): AnthropicEvent[] {
    if (this.#started) return [];
    this.#started = true;
    return [
      {
        type: 'message_start',
        message: { id: this.#id, type: 'message', role: 'assistant', model: this.#model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 0, output_tokens: 0 } },
      },
    ];
  }

  #close(): AnthropicEvent[] {
    if (!this.#open) return [];
    this.#open = undefined;
    return [{ type: 'content_block_stop', index: this.#index }];
  }

  #openBlock(block: OpenBlock, contentBlock: Record<string, unknown>): AnthropicEvent[] {
    const events = [...this.#start(), ...this.#close()];
    this.#index += 1;
    this.#open = block;
    events.push({ type: 'content_block_start', index: this.#index, content_block: contentBlock });
    return events;
  }

  #text(text: string): AnthropicEvent[] {
    const events = this.#open?.kind === 'text' ? [] : this.#openBlock({ kind: 'text' }, { type: 'text', text: '' });
    events.push({ type: 'content_block_delta', index: this.#index, delta: { type: 'text_delta', text } });
    return events;
  }

  #reasoning(body: Record<string, unknown>): AnthropicEvent[] {
    if (typeof body.redactedContent === 'string' && body.redactedContent !== '') {
      return [...this.#openBlock({ kind: 'thinking' }, { type: 'redacted_thinking', data: body.redactedContent }), ...this.#close()];
    }
    const events: AnthropicEvent[] = [];
    if (typeof body.text === 'string' && body.text !== '') {
      if (this.#open?.kind !== 'thinking') events.push(...this.#openBlock({ kind: 'thinking' }, { type: 'thinking', thinking: '', signature: '' }));
      events.push({ type: 'content_block_delta', index: this.#index, delta: { type: 'thinking_delta', thinking: body.text } });
    }
    if (typeof body.signature === 'string' && body.signature !== '' && this.#open?.kind === 'thinking') {
      events.push({ type: 'content_block_delta', index: this.#index, delta: { type: 'signature_delta', signature: body.signature } });
    }
    return events;
  }

  #toolUse(body: Record<string, unknown>): AnthropicEvent[] {
    const id = typeof body.toolUseId === 'string' && body.toolUseId !== '' ? body.toolUseId : undefined;
    if (!id || this.#emittedTools.has(id)) return [];
    let tool = this.#pendingTools.get(id);
    if (!tool) {
      tool = { name: '', input: '' };
      this.#pendingTools.set(id, tool);
    }
    if (!tool.name && typeof body.name === 'string') tool.name = body.name;
    // Fragments of the JSON input arrive as strings to be joined in order; an object is the whole input at once.
    if (typeof body.input === 'string') tool.input += body.input;
    else if (isRecord(body.input)) tool.input = JSON.stringify(body.input);
    return body.stop === true ? this.#emitTool(id) : [];
  }

  /** A tool call goes out whole once its input is complete: fragments of two calls may interleave upstream. */
  #emitTool(id: string): AnthropicEvent[] {
    const tool = this.#pendingTools.get(id);
    if (!tool) return [];
    this.#pendingTools.delete(id);
    this.#emittedTools.add(id);
    this.#sawTool = true;
    const events = this.#openBlock({ kind: 'tool' }, { type: 'tool_use', id, name: tool.name, input: {} });
    if (tool.input.trim() !== '') events.push({ type: 'content_block_delta', index: this.#index, delta: { type: 'input_json_delta', partial_json: tool.input } });
    events.push(...this.#close());
    return events;
  }
}
