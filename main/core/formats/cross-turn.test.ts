// Tool ids and thinking survive a whole agent step with no proxy state: the upstream answers, the client keeps
// that answer in its history (as its SDK accumulated it), sends the tool result, and the next upstream request
// must carry the upstream's own ids, signatures and reasoning again.
import { readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { WireFormat } from '../../../shared/wire-format.ts';
import { createStreamTranslator, translateRequest, translateResponse, type TranslationContext } from './translator.ts';

type Json = Record<string, unknown>;
const fixtures = new URL('../../../test/fixtures/recorded-upstream/', import.meta.url);
const recorded = (format: WireFormat, file: string) => readFileSync(new URL(`${format}/${file}`, fixtures), 'utf8');

const tools: Record<WireFormat, Json> = {
  anthropic: { tools: [{ name: 'Bash', input_schema: { type: 'object', properties: { command: { type: 'string' } } } }, { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }] },
  'openai-chat': { tools: ['Bash', 'get_weather'].map((name) => ({ type: 'function', function: { name, parameters: { type: 'object', properties: {} } } })) },
  'openai-responses': { tools: ['Bash', 'get_weather'].map((name) => ({ type: 'function', name, parameters: { type: 'object', properties: {} } })) },
  gemini: { tools: [{ functionDeclarations: ['Bash', 'get_weather'].map((name) => ({ name, parameters: { type: 'OBJECT', properties: { x: { type: 'STRING' } } } })) }] },
};

/** The client's first request. */
function firstRequest(client: WireFormat): Json {
  if (client === 'anthropic') return { model: 'c', max_tokens: 1000, thinking: { type: 'enabled', budget_tokens: 2000 }, messages: [{ role: 'user', content: 'run echo hi' }], ...tools.anthropic };
  if (client === 'openai-chat') return { model: 'c', reasoning_effort: 'high', messages: [{ role: 'user', content: 'run echo hi' }], ...tools['openai-chat'] };
  if (client === 'openai-responses') return { model: 'c', input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'run echo hi' }] }], reasoning: { effort: 'medium', summary: 'auto' }, ...tools['openai-responses'] };
  return { contents: [{ role: 'user', parts: [{ text: 'run echo hi' }] }], generationConfig: { thinkingConfig: { includeThoughts: true } }, ...tools.gemini };
}

/** The client's next request: its history plus the answer it received and one result per tool call. */
function nextRequest(client: WireFormat, answer: Json): Json {
  const first = firstRequest(client);
  if (client === 'anthropic') {
    const content = answer.content as Json[];
    const results = content.filter((block) => block.type === 'tool_use').map((block) => ({ type: 'tool_result', tool_use_id: block.id, content: `result for ${String(block.id)}` }));
    return { ...first, messages: [...(first.messages as Json[]), { role: 'assistant', content }, { role: 'user', content: results }] };
  }
  if (client === 'openai-chat') {
    const message = (answer.choices as Json[])[0]!.message as Json;
    const results = ((message.tool_calls as Json[]) ?? []).map((call) => ({ role: 'tool', tool_call_id: call.id, content: `result for ${String(call.id)}` }));
    return { ...first, messages: [...(first.messages as Json[]), message, ...results] };
  }
  if (client === 'openai-responses') {
    const output = answer.output as Json[];
    const results = output.filter((item) => item.type === 'function_call').map((item) => ({ type: 'function_call_output', call_id: item.call_id, output: `result for ${String(item.call_id)}` }));
    return { ...first, input: [...(first.input as Json[]), ...output, ...results] };
  }
  // Gemini CLI keeps the model turn without its thought parts, and answers each call by id.
  const parts = ((answer.candidates as Json[])[0]!.content as Json).parts as Json[];
  const kept = parts.filter((part) => part.thought !== true);
  const results = kept.filter((part) => part.functionCall).map((part) => {
    const call = part.functionCall as Json;
    return { functionResponse: { id: call.id, name: call.name, response: { output: `result for ${String(call.id)}` } } };
  });
  return { ...first, contents: [...(first.contents as Json[]), { role: 'model', parts: kept }, { role: 'user', parts: results }] };
}

function step(client: WireFormat, upstream: WireFormat, upstreamAnswer: unknown): { answer: Json; next: Json; context: TranslationContext; warnings: string[] } {
  const first = translateRequest({ from: client, to: upstream, body: firstRequest(client), upstreamModel: 'gpt-5.5', clientModel: 'c', stream: false });
  const answer = translateResponse({ from: upstream, to: client, body: upstreamAnswer, context: first.context }).body;
  const next = translateRequest({ from: client, to: upstream, body: JSON.parse(JSON.stringify(nextRequest(client, answer))), upstreamModel: 'gpt-5.5', clientModel: 'c', stream: false });
  return { answer, next: next.body, context: first.context, warnings: next.warnings };
}

const clientsOf = (upstream: WireFormat) => (['anthropic', 'openai-chat', 'openai-responses', 'gemini'] as WireFormat[]).filter((format) => format !== upstream).map((format) => [format]);

describe('a Gemini upstream without call ids', () => {
  it.each(clientsOf('gemini'))('gets its calls back without synthesized ids, named, answered once each, signed (%s client)', (client) => {
    const { next } = step(client, 'gemini', JSON.parse(recorded('gemini', 'parallel-tool-calls.json')));
    const contents = next.contents as { role: string; parts: Json[] }[];
    const model = contents.find((content) => content.role === 'model')!;
    const calls = model.parts.filter((part) => part.functionCall).map((part) => part.functionCall as Json);
    expect(calls.map((call) => [call.name, call.args, call.id])).toEqual([['get_weather', { city: 'Paris' }, undefined], ['get_weather', { city: 'Tokyo' }, undefined]]);
    const signed = model.parts.find((part) => part.functionCall)!.thoughtSignature;
    expect(signed).toBe(client === 'openai-chat' ? 'skip_thought_signature_validator' : 'CiQBRecordedGeminiParallelSignature');
    const responses = contents.at(-1)!.parts.map((part) => part.functionResponse as Json);
    expect(responses.map((response) => [response.name, response.id])).toEqual([['get_weather', undefined], ['get_weather', undefined]]);
    expect((responses[0]!.response as Json).output).toMatch(/^result for sy-gemini-/);
  });
});

describe('an Anthropic upstream with thinking and a tool call', () => {
  const answer = {
    id: 'msg_1', type: 'message', role: 'assistant', model: 'claude', stop_reason: 'tool_use', stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 10 },
    content: [
      { type: 'thinking', thinking: 'I should run the command.', signature: 'EqQBRealAnthropicSignature==' },
      { type: 'text', text: 'Running it.' },
      { type: 'tool_use', id: 'toolu_01Abc', name: 'Bash', input: { command: 'echo hi' } },
    ],
  };
  it.each(clientsOf('anthropic'))('gets its thinking block and tool id back unchanged (%s client)', (client) => {
    const { next, warnings } = step(client, 'anthropic', answer);
    const messages = next.messages as { role: string; content: Json[] }[];
    const assistant = messages.find((message) => message.role === 'assistant')!;
    expect(assistant.content.find((block) => block.type === 'tool_use')).toMatchObject({ id: 'toolu_01Abc', name: 'Bash', input: { command: 'echo hi' } });
    expect(messages.at(-1)!.content[0]).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_01Abc' });
    if (client === 'openai-chat') {
      // OpenAI Chat clients have nowhere to keep a signature: thinking is turned off rather than sent unsigned.
      expect(assistant.content.some((block) => block.type === 'thinking')).toBe(false);
      expect(warnings.join('\n')).toMatch(/Thinking was turned off/);
    } else {
      expect(assistant.content[0]).toEqual({ type: 'thinking', thinking: 'I should run the command.', signature: 'EqQBRealAnthropicSignature==' });
      expect(next.thinking).toMatchObject({ type: 'enabled' });
    }
  });
});

describe('an OpenAI Responses upstream with encrypted reasoning and a call', () => {
  const answer = JSON.parse(recorded('openai-responses', 'thinking.json')) as Json;
  (answer.output as Json[]).push({ id: 'fc_1', type: 'function_call', status: 'completed', call_id: 'call_Abc', name: 'Bash', arguments: '{"command":"echo hi"}' });
  it.each(clientsOf('openai-responses'))('gets its reasoning item (id, summary, encrypted_content) and call id back (%s client)', (client) => {
    const { next } = step(client, 'openai-responses', answer);
    const input = next.input as Json[];
    const reasoning = input.filter((item) => item.type === 'reasoning');
    if (client === 'openai-chat') expect(reasoning).toEqual([]);
    else {
      expect(reasoning).toEqual([{ type: 'reasoning', id: 'rs_RecordedReasoning', summary: [{ type: 'summary_text', text: 'Let me think' }, { type: 'summary_text', text: 'about 6 times 7.' }], encrypted_content: 'gAAAAABRecordedEncryptedReasoning==' }]);
    }
    expect(input.find((item) => item.type === 'function_call')).toMatchObject({ call_id: 'call_Abc', name: 'Bash' });
    expect(input.find((item) => item.type === 'function_call_output')).toMatchObject({ call_id: 'call_Abc' });
  });
});

describe('streamed answers accumulated by the client SDK', () => {
  async function anthropicFinalMessage(stream: string): Promise<Json> {
    const fetch = (async () => new Response(stream, { headers: { 'content-type': 'text/event-stream' } })) as typeof globalThis.fetch;
    const client = new Anthropic({ apiKey: 'x', maxRetries: 0, fetch });
    return (await client.messages.stream({ model: 'c', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).finalMessage()) as unknown as Json;
  }

  it('Claude Code on Gemini: the streamed call signature returns to Gemini', async () => {
    const first = translateRequest({ from: 'anthropic', to: 'gemini', body: firstRequest('anthropic'), upstreamModel: 'g', clientModel: 'c', stream: true });
    const translator = createStreamTranslator({ from: 'gemini', to: 'anthropic', context: first.context });
    const stream = translator.push(new TextEncoder().encode(recorded('gemini', 'tool-call.sse'))) + translator.end();
    const message = await anthropicFinalMessage(stream);
    const next = translateRequest({ from: 'anthropic', to: 'gemini', body: nextRequest('anthropic', message), upstreamModel: 'g', clientModel: 'c', stream: true });
    const model = (next.body.contents as { role: string; parts: Json[] }[]).find((content) => content.role === 'model')!;
    expect(model.parts).toEqual([{ text: 'Running a command.' }, { functionCall: { name: 'Bash', args: { command: 'echo hi' } }, thoughtSignature: 'CiQBRecordedGeminiSignatureForCall' }]);
  });

  it('Codex on Anthropic: streamed thinking and the call come back from the Responses accumulator', async () => {
    const first = translateRequest({ from: 'openai-responses', to: 'anthropic', body: firstRequest('openai-responses'), upstreamModel: 'claude', clientModel: 'c', stream: true });
    const upstream = recorded('anthropic', 'thinking.sse').replace('"stop_reason":"end_turn"', '"stop_reason":"tool_use"');
    const translator = createStreamTranslator({ from: 'anthropic', to: 'openai-responses', context: first.context });
    const stream = translator.push(new TextEncoder().encode(upstream)) + translator.end();
    const fetch = (async () => new Response(stream, { headers: { 'content-type': 'text/event-stream' } })) as typeof globalThis.fetch;
    const response = await new OpenAI({ apiKey: 'x', maxRetries: 0, fetch }).responses.stream({ model: 'c', input: 'x' }).finalResponse();
    const next = translateRequest({ from: 'openai-responses', to: 'anthropic', body: nextRequest('openai-responses', response as unknown as Json), upstreamModel: 'claude', clientModel: 'c', stream: true });
    const assistant = (next.body.messages as { role: string; content: Json[] }[]).find((message) => message.role === 'assistant')!;
    expect(assistant.content.slice(0, 2)).toEqual([
      { type: 'thinking', thinking: 'Let me think about 6 times 7.', signature: 'EqQBCkgIARABGAIiQL2RecordedAnthropicSignature==' },
      { type: 'redacted_thinking', data: 'EmwKAhgBEgy3RecordedRedactedData' },
    ]);
  });
});

describe('Codex custom tools on other upstreams', () => {
  const patch = '*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch\n';
  const codexRequest = {
    model: 'gpt-5.5',
    input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'add a file' }] }],
    tools: [{ type: 'custom', name: 'apply_patch', description: 'Edit files.', format: { type: 'grammar', syntax: 'lark', definition: 'start: "x"' } }],
  };

  it('become function tools upstream and custom calls for Codex, both directions', async () => {
    const first = translateRequest({ from: 'openai-responses', to: 'anthropic', body: codexRequest, upstreamModel: 'claude', clientModel: 'gpt-5.5', stream: true });
    const tool = (first.body.tools as Json[])[0]!;
    expect(tool).toMatchObject({ name: 'apply_patch', input_schema: { properties: { input: { type: 'string' } } } });
    expect(String(tool.description)).toContain('start: "x"');

    const answer = { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude', stop_reason: 'tool_use', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 }, content: [{ type: 'tool_use', id: 'toolu_patch', name: 'apply_patch', input: { input: patch } }] };
    const body = translateResponse({ from: 'anthropic', to: 'openai-responses', body: answer, context: first.context }).body;
    expect((body.output as Json[])[0]).toMatchObject({ type: 'custom_tool_call', call_id: 'toolu_patch', name: 'apply_patch', input: patch });

    const upstream = [
      'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_2","type":"message","role":"assistant","model":"claude","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}\n\n',
      'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_patch","name":"apply_patch","input":{}}}\n\n',
      `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify({ input: patch }) } })}\n\n`,
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n',
      'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":5}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n',
    ].join('');
    const translator = createStreamTranslator({ from: 'anthropic', to: 'openai-responses', context: first.context });
    const stream = translator.push(new TextEncoder().encode(upstream)) + translator.end();
    const fetch = (async () => new Response(stream, { headers: { 'content-type': 'text/event-stream' } })) as typeof globalThis.fetch;
    const response = await new OpenAI({ apiKey: 'x', maxRetries: 0, fetch }).responses.stream({ model: 'c', input: 'x' }).finalResponse();
    expect(response.output[0]).toMatchObject({ type: 'custom_tool_call', call_id: 'toolu_patch', input: patch });

    const next = translateRequest({
      from: 'openai-responses', to: 'anthropic', upstreamModel: 'claude', clientModel: 'gpt-5.5', stream: true,
      body: { ...codexRequest, input: [...codexRequest.input, { type: 'custom_tool_call', call_id: 'toolu_patch', name: 'apply_patch', input: patch }, { type: 'custom_tool_call_output', call_id: 'toolu_patch', output: 'Done!' }] },
    });
    const messages = next.body.messages as { role: string; content: Json[] }[];
    expect(messages[1]!.content[0]).toEqual({ type: 'tool_use', id: 'toolu_patch', name: 'apply_patch', input: { input: patch } });
    expect(messages[2]!.content[0]).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_patch', content: [{ type: 'text', text: 'Done!' }] });
  });
});

describe('tool names the upstream would reject', () => {
  it('are renamed upstream and restored for the client', () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], tools: [{ functionDeclarations: [{ name: 'files.read', parameters: { type: 'OBJECT', properties: { path: { type: 'STRING' } } } }] }] };
    const first = translateRequest({ from: 'gemini', to: 'anthropic', body, upstreamModel: 'claude', clientModel: 'gemini-2.5-pro', stream: false });
    const upstreamName = (first.body.tools as Json[])[0]!.name as string;
    expect(upstreamName).toMatch(/^files_read_/);
    const answer = { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude', stop_reason: 'tool_use', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 }, content: [{ type: 'tool_use', id: 'toolu_1', name: upstreamName, input: { path: '/a' } }] };
    const translated = translateResponse({ from: 'anthropic', to: 'gemini', body: answer, context: first.context }).body;
    const part = ((translated.candidates as Json[])[0]!.content as { parts: Json[] }).parts[0]!;
    expect(part.functionCall).toEqual({ id: 'toolu_1', name: 'files.read', args: { path: '/a' } });
  });
});
