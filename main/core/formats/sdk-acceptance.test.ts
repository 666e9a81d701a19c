// The official SDKs' own stream accumulators accept what the translator writes for their format. Each SDK gets a
// `fetch` that answers with the translated bytes, so its real SSE parser and accumulator run, with no server.
import { readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { GoogleGenAI } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { wireFormats, type WireFormat } from '../../../shared/wire-format.ts';
import { createStreamTranslator, translateResponse, type TranslationContext } from './translator.ts';

const fixtures = new URL('../../../test/fixtures/recorded-upstream/', import.meta.url);
const read = (format: WireFormat, file: string) => readFileSync(new URL(`${format}/${file}`, fixtures), 'utf8');

function context(client: WireFormat, upstream: WireFormat): TranslationContext {
  return { client, upstream, clientModel: 'client-model', upstreamModel: 'upstream-model', stream: true, includeUsage: true, renamedTools: {}, customTools: [] };
}

/** The translated client stream, delivered in small chunks like a real socket would. */
function translatedStream(upstream: WireFormat, client: WireFormat, scenario: string): ReadableStream<Uint8Array> {
  const translator = createStreamTranslator({ from: upstream, to: client, context: context(client, upstream) });
  const bytes = new TextEncoder().encode(read(upstream, `${scenario}.sse`));
  let output = '';
  for (let offset = 0; offset < bytes.length; offset += 13) output += translator.push(bytes.slice(offset, offset + 13));
  output += translator.end();
  const encoded = new TextEncoder().encode(output);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= encoded.length) return controller.close();
      controller.enqueue(encoded.slice(offset, offset + 17));
      offset += 17;
    },
  });
}

function fetchAnswering(body: () => ReadableStream<Uint8Array> | string, contentType: string): typeof fetch {
  return (async () => new Response(body(), { status: 200, headers: { 'content-type': contentType } })) as typeof fetch;
}

const sse = 'text/event-stream';
const expectations: Record<string, { text: string; calls: { name: string; args: unknown }[]; input: number; output: number }> = {
  text: { text: 'Hello from the fake upstream.', calls: [], input: 12, output: 7 },
  'tool-call': { text: 'Running a command.', calls: [{ name: 'Bash', args: { command: 'echo hi' } }], input: 12, output: 20 },
  'parallel-tool-calls': { text: '', calls: [{ name: 'get_weather', args: { city: 'Paris' } }, { name: 'get_weather', args: { city: 'Tokyo' } }], input: 12, output: 30 },
  thinking: { text: 'The answer is 42.', calls: [], input: 115, output: 25 },
};
const scenarios = Object.keys(expectations);
const others = (client: WireFormat) => wireFormats.filter((format) => format !== client).map((format) => [format]);

describe.each(scenarios.map((scenario) => [scenario]))('%s', (scenario) => {
  const expected = expectations[scenario]!;

  it.each(others('anthropic'))('from a %s upstream is accepted by the Anthropic SDK (finalMessage)', async (upstream) => {
    const client = new Anthropic({ apiKey: 'test', maxRetries: 0, fetch: fetchAnswering(() => translatedStream(upstream, 'anthropic', scenario), sse) });
    const message = await client.messages.stream({ model: 'client-model', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
    expect(text).toBe(expected.text);
    expect(message.content.flatMap((block) => (block.type === 'tool_use' ? [{ name: block.name, args: block.input }] : []))).toEqual(expected.calls);
    const usage = message.usage;
    expect(usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0)).toBe(expected.input);
    expect(usage.output_tokens).toBe(expected.output);
    if (scenario === 'thinking') expect(message.content.some((block) => block.type === 'thinking' && block.signature !== '')).toBe(true);
  });

  it.each(others('openai-chat'))('from a %s upstream is accepted by the OpenAI SDK (finalChatCompletion)', async (upstream) => {
    const client = new OpenAI({ apiKey: 'test', maxRetries: 0, fetch: fetchAnswering(() => translatedStream(upstream, 'openai-chat', scenario), sse) });
    const stream = client.chat.completions.stream({ model: 'client-model', messages: [{ role: 'user', content: 'hi' }], stream_options: { include_usage: true } });
    const completion = await stream.finalChatCompletion();
    const message = completion.choices[0]!.message;
    expect(message.content ?? '').toBe(expected.text);
    const calls = (message.tool_calls ?? []).map((call) => (call.type === 'function' ? { name: call.function.name, args: JSON.parse(call.function.arguments) } : undefined));
    expect(calls).toEqual(expected.calls);
    expect(completion.usage?.prompt_tokens).toBe(expected.input);
    expect(completion.usage?.completion_tokens).toBe(expected.output);
  });

  it.each(others('openai-responses'))('from a %s upstream is accepted by the OpenAI SDK (Responses finalResponse)', async (upstream) => {
    const client = new OpenAI({ apiKey: 'test', maxRetries: 0, fetch: fetchAnswering(() => translatedStream(upstream, 'openai-responses', scenario), sse) });
    const response = await client.responses.stream({ model: 'client-model', input: 'hi' }).finalResponse();
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe(expected.text);
    const calls = response.output.flatMap((item) => (item.type === 'function_call' ? [{ name: item.name, args: JSON.parse(item.arguments) }] : []));
    expect(calls).toEqual(expected.calls);
    expect(response.usage?.input_tokens).toBe(expected.input);
    expect(response.usage?.output_tokens).toBe(expected.output);
    if (scenario === 'thinking') expect(response.output.some((item) => item.type === 'reasoning' && !!item.encrypted_content)).toBe(true);
  });

  it.each(others('gemini'))('from a %s upstream is accepted by the Google GenAI SDK (generateContentStream)', async (upstream) => {
    const ai = new GoogleGenAI({ apiKey: 'test', httpOptions: { fetch: fetchAnswering(() => translatedStream(upstream, 'gemini', scenario), sse), retryOptions: { attempts: 1 } } });
    let text = '';
    const calls: { name: string | undefined; args: unknown }[] = [];
    let usage: { promptTokenCount?: number; candidatesTokenCount?: number; thoughtsTokenCount?: number } | undefined;
    let finishReason: string | undefined;
    for await (const chunk of await ai.models.generateContentStream({ model: 'client-model', contents: 'hi' })) {
      for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
        if (part.text && !part.thought) text += part.text;
        if (part.functionCall) calls.push({ name: part.functionCall.name, args: part.functionCall.args });
      }
      if (chunk.usageMetadata) usage = chunk.usageMetadata;
      finishReason = chunk.candidates?.[0]?.finishReason ?? finishReason;
    }
    expect(text).toBe(expected.text);
    expect(calls).toEqual(expected.calls);
    expect(finishReason).toBe('STOP');
    expect(usage?.promptTokenCount).toBe(expected.input);
    expect((usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0)).toBe(expected.output);
  });
});

describe('mid-stream upstream errors surface as SDK errors', () => {
  it.each(others('anthropic'))('Anthropic SDK, %s upstream', async (upstream) => {
    const client = new Anthropic({ apiKey: 'test', maxRetries: 0, fetch: fetchAnswering(() => translatedStream(upstream, 'anthropic', 'error-mid-stream'), sse) });
    await expect(client.messages.stream({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()).rejects.toThrow(/overloaded/i);
  });
  it.each(others('openai-chat'))('OpenAI Chat SDK, %s upstream', async (upstream) => {
    const client = new OpenAI({ apiKey: 'test', maxRetries: 0, fetch: fetchAnswering(() => translatedStream(upstream, 'openai-chat', 'error-mid-stream'), sse) });
    await expect(client.chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).finalChatCompletion()).rejects.toThrow(/overloaded/i);
  });
  it.each(others('openai-responses'))('OpenAI Responses SDK, %s upstream', async (upstream) => {
    const client = new OpenAI({ apiKey: 'test', maxRetries: 0, fetch: fetchAnswering(() => translatedStream(upstream, 'openai-responses', 'error-mid-stream'), sse) });
    await expect(client.responses.stream({ model: 'm', input: 'hi' }).finalResponse()).rejects.toThrow(/overloaded/i);
  });
  it.each(others('gemini'))('Google GenAI SDK, %s upstream', async (upstream) => {
    const ai = new GoogleGenAI({ apiKey: 'test', httpOptions: { fetch: fetchAnswering(() => translatedStream(upstream, 'gemini', 'error-mid-stream'), sse), retryOptions: { attempts: 1 } } });
    const consume = async () => {
      for await (const _chunk of await ai.models.generateContentStream({ model: 'm', contents: 'hi' })) void _chunk;
    };
    await expect(consume()).rejects.toThrow(/overloaded/i);
  });
});

describe('non-streaming bodies are accepted by the SDKs', () => {
  it.each(others('anthropic'))('Anthropic SDK, %s upstream tool call', async (upstream) => {
    const body = translateResponse({ from: upstream, to: 'anthropic', body: JSON.parse(read(upstream, 'tool-call.json')), context: context('anthropic', upstream) }).body;
    const client = new Anthropic({ apiKey: 'test', maxRetries: 0, fetch: fetchAnswering(() => JSON.stringify(body), 'application/json') });
    const message = await client.messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content.find((block) => block.type === 'tool_use')).toMatchObject({ name: 'Bash', input: { command: 'echo hi' } });
  });
  it.each(others('openai-responses'))('OpenAI Responses SDK, %s upstream tool call', async (upstream) => {
    const body = translateResponse({ from: upstream, to: 'openai-responses', body: JSON.parse(read(upstream, 'tool-call.json')), context: context('openai-responses', upstream) }).body;
    const client = new OpenAI({ apiKey: 'test', maxRetries: 0, fetch: fetchAnswering(() => JSON.stringify(body), 'application/json') });
    const response = await client.responses.create({ model: 'm', input: 'hi' });
    expect(response.output_text).toBe('Running a command.');
    expect(response.output.find((item) => item.type === 'function_call')).toMatchObject({ name: 'Bash', arguments: expect.stringContaining('echo hi') });
  });
  it.each(others('gemini'))('Google GenAI SDK, %s upstream tool call', async (upstream) => {
    const body = translateResponse({ from: upstream, to: 'gemini', body: JSON.parse(read(upstream, 'tool-call.json')), context: context('gemini', upstream) }).body;
    const ai = new GoogleGenAI({ apiKey: 'test', httpOptions: { fetch: fetchAnswering(() => JSON.stringify(body), 'application/json'), retryOptions: { attempts: 1 } } });
    const response = await ai.models.generateContent({ model: 'm', contents: 'hi' });
    expect(response.text).toBe('Running a command.');
    expect(response.functionCalls?.[0]).toMatchObject({ name: 'Bash', args: { command: 'echo hi' } });
  });
});
