import type { FakeReply, FakeUsage } from './reply.ts';
import { defaultText, defaultUsage, splitText, sse } from './reply.ts';

// Anthropic Messages answers as documented in docs/wire-formats.md, Anthropic Messages (and the SDK's own types).

type Ok = Extract<FakeReply, { kind: 'text' | 'tool' }>;

function usageOf(reply: Ok): FakeUsage {
  return reply.usage ?? defaultUsage;
}

export function anthropicMessage(reply: Ok, model: string, id: string): Record<string, unknown> {
  const usage = usageOf(reply);
  const content: unknown[] = [];
  if (reply.kind === 'text') content.push({ type: 'text', text: reply.text ?? defaultText });
  else {
    if (reply.text) content.push({ type: 'text', text: reply.text });
    reply.calls.forEach((call, index) => content.push({ type: 'tool_use', id: call.id ?? `toolu_fake${index}`, name: call.name, input: call.input }));
  }
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: reply.kind === 'tool' ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: usage.input,
      output_tokens: usage.output,
      cache_read_input_tokens: usage.cacheRead ?? 0,
      cache_creation_input_tokens: usage.cacheWrite ?? 0,
    },
  };
}

export function anthropicStream(reply: Ok, model: string, id: string): string[] {
  const usage = usageOf(reply);
  const events: string[] = [];
  events.push(
    sse({ type: 'message_start', message: { ...anthropicMessage(reply, model, id), content: [], stop_reason: null, usage: { input_tokens: usage.input, output_tokens: 1, cache_read_input_tokens: usage.cacheRead ?? 0, cache_creation_input_tokens: usage.cacheWrite ?? 0 } } }, 'message_start'),
  );
  let index = 0;
  const textBlock = (text: string, chunks: number) => {
    events.push(sse({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }, 'content_block_start'));
    if (index === 0) events.push(sse({ type: 'ping' }, 'ping'));
    for (const piece of splitText(text, chunks)) events.push(sse({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } }, 'content_block_delta'));
    events.push(sse({ type: 'content_block_stop', index }, 'content_block_stop'));
    index += 1;
  };
  if (reply.kind === 'text') textBlock(reply.text ?? defaultText, reply.chunks ?? 3);
  else {
    if (reply.text) textBlock(reply.text, 2);
    reply.calls.forEach((call, callIndex) => {
      events.push(sse({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: call.id ?? `toolu_fake${callIndex}`, name: call.name, input: {} } }, 'content_block_start'));
      for (const piece of splitText(JSON.stringify(call.input), 3)) events.push(sse({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }, 'content_block_delta'));
      events.push(sse({ type: 'content_block_stop', index }, 'content_block_stop'));
      index += 1;
    });
  }
  events.push(sse({ type: 'message_delta', delta: { stop_reason: reply.kind === 'tool' ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.output } }, 'message_delta'));
  events.push(sse({ type: 'message_stop' }, 'message_stop'));
  return events;
}

export function anthropicError(status: number, message: string, type?: string): Record<string, unknown> {
  const byStatus: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 429: 'rate_limit_error', 500: 'api_error', 529: 'overloaded_error' };
  return { type: 'error', error: { type: type ?? byStatus[status] ?? 'api_error', message } };
}
