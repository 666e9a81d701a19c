import type { FakeReply, FakeUsage } from './reply.ts';
import { defaultText, defaultUsage, splitText, sse } from './reply.ts';

// OpenAI Chat Completions and Responses answers (docs/wire-formats.md, OpenAI sections, the openai SDK's types).

type Ok = Extract<FakeReply, { kind: 'text' | 'tool' }>;
const created = 1_750_000_000;

function chatUsage(usage: FakeUsage) {
  return {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
    prompt_tokens_details: { cached_tokens: usage.cacheRead ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage.reasoning ?? 0 },
  };
}

export function chatCompletion(reply: Ok, model: string, id: string): Record<string, unknown> {
  const usage = reply.usage ?? defaultUsage;
  const message: Record<string, unknown> = { role: 'assistant', content: reply.kind === 'text' ? (reply.text ?? defaultText) : (reply.text ?? null), refusal: null };
  if (reply.kind === 'tool') {
    message.tool_calls = reply.calls.map((call, index) => ({ id: call.id ?? `call_fake${index}`, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.input) } }));
  }
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: reply.kind === 'tool' ? 'tool_calls' : 'stop' }],
    usage: chatUsage(usage),
  };
}

export function chatStream(reply: Ok, model: string, id: string, includeUsage: boolean): string[] {
  const usage = reply.usage ?? defaultUsage;
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    sse({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(includeUsage ? { usage: null } : {}) });
  const events = [chunk({ role: 'assistant', content: '' })];
  if (reply.kind === 'text') for (const piece of splitText(reply.text ?? defaultText, reply.chunks ?? 3)) events.push(chunk({ content: piece }));
  else {
    if (reply.text) events.push(chunk({ content: reply.text }));
    reply.calls.forEach((call, index) => {
      events.push(chunk({ tool_calls: [{ index, id: call.id ?? `call_fake${index}`, type: 'function', function: { name: call.name, arguments: '' } }] }));
      for (const piece of splitText(JSON.stringify(call.input), 3)) events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    });
  }
  events.push(chunk({}, reply.kind === 'tool' ? 'tool_calls' : 'stop'));
  if (includeUsage) events.push(sse({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: chatUsage(usage) }));
  events.push('data: [DONE]\n\n');
  return events;
}

function responsesUsage(usage: FakeUsage) {
  return {
    input_tokens: usage.input,
    input_tokens_details: { cached_tokens: usage.cacheRead ?? 0 },
    output_tokens: usage.output,
    output_tokens_details: { reasoning_tokens: usage.reasoning ?? 0 },
    total_tokens: usage.input + usage.output,
  };
}

function outputItems(reply: Ok): Array<Record<string, unknown>> {
  const items: Array<Record<string, unknown>> = [];
  const text = reply.kind === 'text' ? (reply.text ?? defaultText) : reply.text;
  if (text) items.push({ type: 'message', id: 'msg_fake0', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] });
  if (reply.kind === 'tool') {
    reply.calls.forEach((call, index) =>
      items.push({ type: 'function_call', id: `fc_fake${index}`, call_id: call.id ?? `call_fake${index}`, name: call.name, arguments: JSON.stringify(call.input), status: 'completed' }),
    );
  }
  return items;
}

export function responsesObject(reply: Ok, model: string, id: string, status = 'completed'): Record<string, unknown> {
  return {
    id,
    object: 'response',
    created_at: created,
    status,
    model,
    output: status === 'completed' ? outputItems(reply) : [],
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage: status === 'completed' ? responsesUsage(reply.usage ?? defaultUsage) : null,
    error: null,
    incomplete_details: null,
    instructions: null,
    metadata: {},
    temperature: 1,
    top_p: 1,
  };
}

export function responsesStream(reply: Ok, model: string, id: string): string[] {
  let sequence = 0;
  const event = (type: string, payload: Record<string, unknown>) => sse({ type, sequence_number: sequence++, ...payload }, type);
  const events = [
    event('response.created', { response: responsesObject(reply, model, id, 'in_progress') }),
    event('response.in_progress', { response: responsesObject(reply, model, id, 'in_progress') }),
  ];
  outputItems(reply).forEach((item, outputIndex) => {
    if (item.type === 'message') {
      const text = (item.content as Array<{ text: string }>)[0]!.text;
      events.push(event('response.output_item.added', { output_index: outputIndex, item: { ...item, status: 'in_progress', content: [] } }));
      events.push(event('response.content_part.added', { item_id: item.id, output_index: outputIndex, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }));
      for (const piece of splitText(text, reply.kind === 'text' ? (reply.chunks ?? 3) : 2)) {
        events.push(event('response.output_text.delta', { item_id: item.id, output_index: outputIndex, content_index: 0, delta: piece, logprobs: [] }));
      }
      events.push(event('response.output_text.done', { item_id: item.id, output_index: outputIndex, content_index: 0, text, logprobs: [] }));
      events.push(event('response.content_part.done', { item_id: item.id, output_index: outputIndex, content_index: 0, part: { type: 'output_text', text, annotations: [] } }));
    } else {
      events.push(event('response.output_item.added', { output_index: outputIndex, item: { ...item, status: 'in_progress', arguments: '' } }));
      for (const piece of splitText(item.arguments as string, 3)) events.push(event('response.function_call_arguments.delta', { item_id: item.id, output_index: outputIndex, delta: piece }));
      events.push(event('response.function_call_arguments.done', { item_id: item.id, output_index: outputIndex, name: item.name, arguments: item.arguments }));
    }
    events.push(event('response.output_item.done', { output_index: outputIndex, item }));
  });
  events.push(event('response.completed', { response: responsesObject(reply, model, id) }));
  return events;
}

export function openaiError(status: number, message: string, type?: string): Record<string, unknown> {
  const code = status === 429 ? 'rate_limit_exceeded' : status === 401 ? 'invalid_api_key' : null;
  return { error: { message, type: type ?? (status >= 500 ? 'server_error' : status === 429 ? 'requests' : 'invalid_request_error'), param: null, code } };
}
