// Reading translated client streams back in tests: the events, a summary of what the client received, and the
// structural rules each format's clients rely on (starts before stops, indexes, terminal events).
import type { WireFormat } from '../../../../shared/wire-format.ts';
import { codecFor } from '../../../../main/core/formats/codecs.ts';
import { Warnings } from '../../../../main/core/formats/canonical/warnings.ts';
import type { CanonicalStreamEvent } from '../../../../main/core/formats/canonical/canonical-stream-event.ts';
import type { CanonicalUsage } from '../../../../main/core/formats/canonical/canonical-response.ts';
import { SseParser, type SseEvent } from '../../../../main/core/formats/sse/sse-parser.ts';

export function sseEvents(text: string): SseEvent[] {
  const parser = new SseParser();
  return [...parser.push(new TextEncoder().encode(text)), ...parser.end()];
}

export interface ClientStreamSummary {
  text: string;
  reasoning: string;
  toolCalls: { id: string; name: string; arguments: string }[];
  usage: CanonicalUsage;
  stopReason: string | undefined;
  error: string | undefined;
  events: CanonicalStreamEvent[];
}

/** What a client of `format` received, read with Switchyard's own decoder for that format. */
export function summarizeClientStream(format: WireFormat, text: string): ClientStreamSummary {
  const decoder = codecFor(format).createStreamDecoder(new Warnings());
  const events = [...sseEvents(text).flatMap((event) => decoder.event(event)), ...decoder.end()];
  const summary: ClientStreamSummary = { text: '', reasoning: '', toolCalls: [], usage: {}, stopReason: undefined, error: undefined, events };
  const calls = new Map<number, { id: string; name: string; arguments: string }>();
  for (const event of events) {
    if (event.type === 'text_delta') summary.text += event.text;
    else if (event.type === 'reasoning_delta') summary.reasoning += event.text;
    else if (event.type === 'block_start' && event.block.kind === 'tool_call') {
      const call = { id: event.block.id, name: event.block.name, arguments: '' };
      calls.set(event.index, call);
      summary.toolCalls.push(call);
    } else if (event.type === 'tool_arguments_delta') {
      const call = calls.get(event.index);
      if (call) call.arguments += event.json;
    } else if (event.type === 'usage') summary.usage = { ...summary.usage, ...event.usage };
    else if (event.type === 'message_start' && event.usage) summary.usage = { ...summary.usage, ...event.usage };
    else if (event.type === 'message_stop') summary.stopReason = event.stopReason;
    else if (event.type === 'error') summary.error = event.error.message;
  }
  return summary;
}

/** Structural problems in a client stream, as a client parser would meet them. Empty when the stream is sound. */
export function streamViolations(format: WireFormat, text: string): string[] {
  const events = sseEvents(text);
  switch (format) {
    case 'anthropic':
      return anthropicViolations(events);
    case 'openai-chat':
      return chatViolations(events);
    case 'openai-responses':
      return responsesViolations(events);
    case 'gemini':
      return geminiViolations(events);
  }
}

function anthropicViolations(events: SseEvent[]): string[] {
  const problems: string[] = [];
  let started = false;
  let stopped = false;
  let open: number | undefined;
  let nextIndex = 0;
  events.forEach((event, position) => {
    const data = JSON.parse(event.data) as { type: string; index?: number };
    if (event.event !== data.type) problems.push(`event name ${event.event} differs from data type ${data.type}`);
    if (stopped) problems.push(`${data.type} after the terminal event`);
    switch (data.type) {
      case 'message_start':
        if (started) problems.push('second message_start');
        started = true;
        break;
      case 'content_block_start':
        if (!started) problems.push('content_block_start before message_start');
        if (open !== undefined) problems.push(`block ${data.index} started while ${open} is open`);
        if (data.index !== nextIndex) problems.push(`block index ${data.index}, expected ${nextIndex}`);
        open = data.index;
        nextIndex += 1;
        break;
      case 'content_block_delta':
        if (open !== data.index) problems.push(`delta for block ${data.index} which is not open`);
        break;
      case 'content_block_stop':
        if (open !== data.index) problems.push(`stop for block ${data.index} which was never started or is closed`);
        open = undefined;
        break;
      case 'message_delta':
        if (!started) problems.push('message_delta before message_start');
        if (open !== undefined) problems.push('message_delta with a block still open');
        break;
      case 'message_stop':
        if (!started) problems.push('message_stop without message_start');
        stopped = true;
        break;
      case 'error':
        stopped = true;
        break;
    }
    if (position === events.length - 1 && !stopped) problems.push('no terminal event (message_stop or error)');
  });
  if (events.length === 0) problems.push('empty stream');
  return problems;
}

function chatViolations(events: SseEvent[]): string[] {
  const problems: string[] = [];
  const last = events.at(-1);
  if (last?.data !== '[DONE]') problems.push('stream does not end with [DONE]');
  let finished = false;
  let failed = false;
  const known = new Set<number>();
  for (const event of events.slice(0, -1)) {
    if (event.data === '[DONE]') problems.push('[DONE] before the end');
    const data = JSON.parse(event.data) as { error?: unknown; choices?: { delta?: { tool_calls?: { index: number; id?: string; function?: { name?: string } }[] }; finish_reason?: string | null }[] };
    if (data.error) failed = true;
    for (const choice of data.choices ?? []) {
      if (choice.finish_reason) finished = true;
      for (const call of choice.delta?.tool_calls ?? []) {
        if (!known.has(call.index)) {
          if (!call.id || !call.function?.name) problems.push(`first fragment of tool call ${call.index} lacks id or name`);
          known.add(call.index);
        }
      }
    }
  }
  if (!finished && !failed) problems.push('no finish_reason chunk and no error');
  return problems;
}

function responsesViolations(events: SseEvent[]): string[] {
  const problems: string[] = [];
  const added = new Set<number>();
  const done = new Set<number>();
  let sequence = -1;
  let terminal = false;
  events.forEach((event, position) => {
    const data = JSON.parse(event.data) as { type: string; sequence_number: number; output_index?: number };
    if (event.event !== data.type) problems.push(`event name ${event.event} differs from data type ${data.type}`);
    if (data.sequence_number <= sequence) problems.push(`sequence_number ${data.sequence_number} not increasing`);
    sequence = data.sequence_number;
    if (position === 0 && data.type !== 'response.created') problems.push('first event is not response.created');
    if (data.type === 'response.output_item.added') added.add(data.output_index!);
    else if (data.output_index !== undefined && (!added.has(data.output_index) || done.has(data.output_index))) problems.push(`${data.type} for output ${data.output_index} which is not open`);
    if (data.type === 'response.output_item.done') done.add(data.output_index!);
    if (['response.completed', 'response.incomplete', 'response.failed'].includes(data.type)) {
      terminal = true;
      if (position !== events.length - 1) problems.push(`${data.type} is not the last event`);
      if (data.type !== 'response.failed') for (const index of added) if (!done.has(index)) problems.push(`output ${index} never got output_item.done`);
    }
  });
  if (!terminal) problems.push('no terminal response event');
  return problems;
}

function geminiViolations(events: SseEvent[]): string[] {
  const problems: string[] = [];
  const last = events.at(-1);
  if (!last) return ['empty stream'];
  const data = JSON.parse(last.data) as { error?: unknown; candidates?: { finishReason?: string }[] };
  if (!data.error && !data.candidates?.[0]?.finishReason) problems.push('last chunk has neither finishReason nor error');
  for (const event of events.slice(0, -1)) {
    const chunk = JSON.parse(event.data) as { candidates?: { finishReason?: string }[] };
    if (chunk.candidates?.[0]?.finishReason) problems.push('finishReason before the last chunk');
  }
  return problems;
}

/** Splits `bytes` into chunks: every byte alone, or at each CR so CRLF pairs are torn apart, or fixed sizes. */
export function chunkings(bytes: Uint8Array): Record<string, Uint8Array[]> {
  const single = Array.from(bytes, (byte) => Uint8Array.of(byte));
  const atCarriageReturn: Uint8Array[] = [];
  let start = 0;
  bytes.forEach((byte, index) => {
    if (byte === 13) {
      atCarriageReturn.push(bytes.slice(start, index + 1));
      start = index + 1;
    }
  });
  atCarriageReturn.push(bytes.slice(start));
  const sevens: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += 7) sevens.push(bytes.slice(offset, offset + 7));
  return { whole: [bytes], 'one byte': single, 'split after CR': atCarriageReturn, 'seven bytes': sevens };
}

export function withCrlf(text: string): string {
  return text.replace(/\n/g, '\r\n');
}
