import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { GoogleGenAI } from '@google/genai';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';

// Same-format proxying driven by the official SDKs: each client talks to Switchyard exactly as it would talk to
// its provider, and a fake provider on 127.0.0.1 checks what arrives (model swapped, provider key, nothing else).

const providerKeys = { ANTHROPIC_KEY: 'fake-ant-provider-key-aaaaaaaaaaaa', OPENAI_KEY: 'sk-openai-provider-key-bbbbbbbbbb', GEMINI_KEY: 'AIza-provider-key-cccccccccccccccc' };

let anthropicUpstream: FakeUpstream;
let openaiUpstream: FakeUpstream;
let geminiUpstream: FakeUpstream;
let running: RunningEngine;

beforeAll(async () => {
  [anthropicUpstream, openaiUpstream, geminiUpstream] = await Promise.all([
    startFakeUpstream('anthropic', { keys: [providerKeys.ANTHROPIC_KEY] }),
    startFakeUpstream('openai', { keys: [providerKeys.OPENAI_KEY] }),
    startFakeUpstream('gemini', { keys: [providerKeys.GEMINI_KEY] }),
  ]);
  running = await startEngine(
    {
      providers: [
        // fetchModels: false keeps GET /v1/models to the configured lists (fetched lists: test/integration/providers).
        { id: 'claude', type: 'anthropic', baseUrl: anthropicUpstream.url, keys: [{ id: 'k1', secret: { env: 'ANTHROPIC_KEY' } }], models: ['claude-sonnet-4-5'], fetchModels: false },
        { id: 'oai', type: 'openai', baseUrl: openaiUpstream.url, keys: [{ id: 'k1', secret: { env: 'OPENAI_KEY' } }], models: ['gpt-5.5'], fetchModels: false },
        { id: 'gem', type: 'gemini', baseUrl: geminiUpstream.url, keys: [{ id: 'k1', secret: { env: 'GEMINI_KEY' } }], models: ['gemini-2.5-flash'], fetchModels: false },
      ],
      combos: [{ name: 'main', targets: ['claude/claude-sonnet-4-5'] }],
      activeCombo: 'main',
    },
    { env: providerKeys },
  );
});

afterAll(async () => {
  await running?.stop();
  await Promise.all([anthropicUpstream?.close(), openaiUpstream?.close(), geminiUpstream?.close()]);
});

describe('Anthropic SDK -> Anthropic upstream', () => {
  const client = () => new Anthropic({ apiKey: running.clientKey, baseURL: running.url, maxRetries: 0 });

  it('answers a non-streaming message and sends the provider key, not the client key', async () => {
    const message = await client().messages.create({ model: 'claude/claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from the fake upstream.' }]);
    const seen = anthropicUpstream.requests.at(-1)!;
    expect(seen.model).toBe('claude-sonnet-4-5');
    expect(seen.credential).toBe(providerKeys.ANTHROPIC_KEY);
    // The SDK's own anthropic-version is forwarded (newer SDKs send newer dates).
    expect(seen.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(JSON.stringify(seen.headers)).not.toContain(running.clientKey);
  });

  it('streams, and finalMessage() assembles the answer with usage', async () => {
    anthropicUpstream.setHandler(() => ({ kind: 'text', text: 'Streaming works fine.', chunks: 5 }));
    const stream = client().messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    const texts: string[] = [];
    stream.on('text', (text) => texts.push(text));
    const message = await stream.finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: 'Streaming works fine.' }]);
    expect(texts.length).toBe(5);
    expect(message.usage.output_tokens).toBe(7);
    expect(anthropicUpstream.requests.at(-1)!.stream).toBe(true);
    anthropicUpstream.setHandler(() => ({ kind: 'text' }));
  });

  it('streams a tool call', async () => {
    anthropicUpstream.setHandler(() => ({ kind: 'tool', calls: [{ name: 'get_weather', input: { city: 'Oslo' }, id: 'toolu_01' }] }));
    const message = await client()
      .messages.stream({ model: 'main', max_tokens: 100, messages: [{ role: 'user', content: 'weather?' }], tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }] })
      .finalMessage();
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([{ type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Oslo' } }]);
    anthropicUpstream.setHandler(() => ({ kind: 'text' }));
  });

  it('counts tokens through the upstream when it can count', async () => {
    const counted = await client().messages.countTokens({ model: 'claude/claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] });
    expect(counted.input_tokens).toBe(42);
    expect(anthropicUpstream.requests.at(-1)!.operation).toBe('count_tokens');
  });

  it('forwards anthropic-beta so Claude Code features keep working', async () => {
    await client().messages.create(
      { model: 'claude/claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
      { headers: { 'anthropic-beta': 'interleaved-thinking-2025-05-14' } },
    );
    expect(anthropicUpstream.requests.at(-1)!.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14');
  });

  it('passes an upstream error back in Anthropic shape with its status', async () => {
    anthropicUpstream.setHandler(() => ({ kind: 'error', status: 400, message: 'messages: at least one message is required' }));
    const error = await client()
      .messages.create({ model: 'claude/claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as InstanceType<typeof Anthropic.BadRequestError>).error).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'messages: at least one message is required' } });
    anthropicUpstream.setHandler(() => ({ kind: 'text' }));
  });
});

describe('OpenAI SDK -> OpenAI upstream', () => {
  const client = () => new OpenAI({ apiKey: running.clientKey, baseURL: `${running.url}/v1`, maxRetries: 0 });

  it('answers chat completions, streaming and not', async () => {
    const completion = await client().chat.completions.create({ model: 'oai/gpt-5.5', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]!.message.content).toBe('Hello from the fake upstream.');
    expect(openaiUpstream.requests.at(-1)!.credential).toBe(providerKeys.OPENAI_KEY);
    expect(openaiUpstream.requests.at(-1)!.model).toBe('gpt-5.5');

    openaiUpstream.setHandler(() => ({ kind: 'text', text: 'One two three four.', chunks: 4 }));
    const final = await client()
      .chat.completions.stream({ model: 'oai/gpt-5.5', messages: [{ role: 'user', content: 'hi' }], stream_options: { include_usage: true } })
      .finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe('One two three four.');
    expect(final.usage?.completion_tokens).toBe(7);
    openaiUpstream.setHandler(() => ({ kind: 'text' }));
  });

  it('streams parallel tool calls in chat completions', async () => {
    openaiUpstream.setHandler(() => ({ kind: 'tool', calls: [{ name: 'a', input: { x: 1 }, id: 'call_a' }, { name: 'b', input: { y: 2 }, id: 'call_b' }] }));
    const final = await client()
      .chat.completions.stream({ model: 'oai/gpt-5.5', messages: [{ role: 'user', content: 'go' }], tools: [{ type: 'function', function: { name: 'a', parameters: { type: 'object' } } }, { type: 'function', function: { name: 'b', parameters: { type: 'object' } } }] })
      .finalChatCompletion();
    const calls = final.choices[0]!.message.tool_calls!;
    expect(calls.map((call) => call.type === 'function' && [call.id, call.function.name, call.function.arguments])).toEqual([
      ['call_a', 'a', '{"x":1}'],
      ['call_b', 'b', '{"y":2}'],
    ]);
    openaiUpstream.setHandler(() => ({ kind: 'text' }));
  });

  it('answers the Responses API, streaming and not', async () => {
    const response = await client().responses.create({ model: 'oai/gpt-5.5', input: 'hi' });
    expect(response.output_text).toBe('Hello from the fake upstream.');
    expect(openaiUpstream.requests.at(-1)!.operation).toBe('responses');

    openaiUpstream.setHandler(() => ({ kind: 'tool', calls: [{ name: 'exec_command', input: { cmd: 'echo hi' }, id: 'call_x' }] }));
    const final = await client().responses.stream({ model: 'oai/gpt-5.5', input: 'run it' }).finalResponse();
    expect(final.output).toEqual([expect.objectContaining({ type: 'function_call', call_id: 'call_x', name: 'exec_command', arguments: '{"cmd":"echo hi"}' })]);
    expect(final.usage?.output_tokens).toBe(7);
    openaiUpstream.setHandler(() => ({ kind: 'text' }));
  });

  it('passes a 429 back as an OpenAI error with its status', async () => {
    openaiUpstream.setHandler(() => ({ kind: 'error', status: 429, message: 'Rate limit reached' }));
    const error = await client().chat.completions.create({ model: 'oai/gpt-5.5', messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).message).toContain('Rate limit reached');
    openaiUpstream.setHandler(() => ({ kind: 'text' }));
  });

  it('lists configured models and combos', async () => {
    const ids: string[] = [];
    for await (const model of client().models.list()) ids.push(model.id);
    expect(ids).toEqual(['claude/claude-sonnet-4-5', 'oai/gpt-5.5', 'gem/gemini-2.5-flash', 'main']);
  });
});

describe('Google GenAI SDK -> Gemini upstream', () => {
  const client = () => new GoogleGenAI({ apiKey: running.clientKey, httpOptions: { baseUrl: running.url } });

  it('generates content, streams it and counts tokens', async () => {
    const response = await client().models.generateContent({ model: 'gem/gemini-2.5-flash', contents: 'hi' });
    expect(response.text).toBe('Hello from the fake upstream.');
    const seen = geminiUpstream.requests.at(-1)!;
    expect(seen.model).toBe('gemini-2.5-flash');
    expect(seen.credential).toBe(providerKeys.GEMINI_KEY);
    expect(seen.query.get('key')).toBeNull();

    geminiUpstream.setHandler(() => ({ kind: 'text', text: 'Chunked gemini answer.', chunks: 3 }));
    let text = '';
    let last;
    for await (const chunk of await client().models.generateContentStream({ model: 'gem/gemini-2.5-flash', contents: 'hi' })) {
      text += chunk.text ?? '';
      last = chunk;
    }
    expect(text).toBe('Chunked gemini answer.');
    expect(last?.usageMetadata?.candidatesTokenCount).toBe(7);
    expect(geminiUpstream.requests.at(-1)!.query.get('alt')).toBe('sse');

    const counted = await client().models.countTokens({ model: 'gem/gemini-2.5-flash', contents: 'hi' });
    expect(counted.totalTokens).toBe(42);
    geminiUpstream.setHandler(() => ({ kind: 'text' }));
  });

  it('passes a Gemini 429 with RetryInfo back unchanged', async () => {
    const body = { error: { code: 429, message: 'Quota exceeded. Please retry in 3s.', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3s' }] } };
    geminiUpstream.setHandler(() => ({ kind: 'error', status: 429, body }));
    const raw = await fetch(`${running.url}/v1beta/models/gem/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': running.clientKey, 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    expect(raw.status).toBe(429);
    expect(await raw.json()).toEqual(body);
    geminiUpstream.setHandler(() => ({ kind: 'text' }));
  });
});
