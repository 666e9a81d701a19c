import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';

// Each provider kind against a fake of its wire, driven by the official SDKs: OpenRouter (attribution headers,
// vendor/model names), compatible presets (auth style), Ollama through its OpenAI-compatible API and through its
// native NDJSON chat (converted to OpenAI Chat, also for an Anthropic client through the translator).

const env = { OR_KEY: 'sk-or-v1-fake-openrouter-key-000000', GLM_KEY: 'fake-glm-key-0123456789abcdef', DS_KEY: 'sk-fake-deepseek-key-0123456789',
  MM1: 'fake-minimax-key-one-000000000000',
  MM2: 'fake-minimax-key-two-111111111111',
};

let openaiLike: FakeUpstream;
let anthropicLike: FakeUpstream;
let ollama: FakeUpstream;
let running: RunningEngine;

beforeAll(async () => {
  [openaiLike, anthropicLike, ollama] = await Promise.all([startFakeUpstream('openai'), startFakeUpstream('anthropic'), startFakeUpstream('ollama', { models: ['qwen3:8b', 'llama3.2:3b'] })]);
  running = await startEngine(
    {
      providers: [
        {
          id: 'or',
          type: 'openrouter',
          baseUrl: openaiLike.url,
          keys: [{ id: 'k', secret: { env: 'OR_KEY' } }],
          attribution: { url: 'https://switchyard.example', title: 'Switchyard tests', categories: ['cli-agent'] },
        },
        { id: 'deepseek', type: 'openai-compatible', preset: 'deepseek', baseUrl: openaiLike.url, keys: [{ id: 'k', secret: { env: 'DS_KEY' } }] },
        {
          id: 'minimax',
          type: 'openai-compatible',
          preset: 'minimax',
          baseUrl: openaiLike.url,
          keys: [
            { id: 'one', secret: { env: 'MM1' } },
            { id: 'two', secret: { env: 'MM2' } },
          ],
          keyStrategy: 'fill-first',
        },
        { id: 'glm', type: 'anthropic-compatible', preset: 'glm', baseUrl: anthropicLike.url, keys: [{ id: 'k', secret: { env: 'GLM_KEY' } }] },
        { id: 'local', type: 'ollama', baseUrl: ollama.url },
        { id: 'native', type: 'ollama', baseUrl: `${ollama.url}/v1`, ollama: { api: 'native', numCtx: 32768, keepAlive: '10m' } },
      ],
    },
    { env },
  );
});

afterAll(async () => {
  await running?.stop();
  await Promise.all([openaiLike?.close(), anthropicLike?.close(), ollama?.close()]);
});

beforeEach(() => {
  for (const upstream of [openaiLike, anthropicLike, ollama]) upstream.setHandler(() => ({ kind: 'text' }));
});

const openai = () => new OpenAI({ apiKey: running.clientKey, baseURL: `${running.url}/v1`, maxRetries: 0 });
const anthropic = () => new Anthropic({ apiKey: running.clientKey, baseURL: running.url, maxRetries: 0 });

describe('OpenRouter', () => {
  it('sends vendor/model names, the Bearer key and the attribution headers', async () => {
    const completion = await openai().chat.completions.create({ model: 'or/anthropic/claude-sonnet-4.5', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]!.message.content).toBe('Hello from the fake upstream.');
    const seen = openaiLike.requests.at(-1)!;
    expect(seen.path).toBe('/v1/chat/completions');
    expect(seen.model).toBe('anthropic/claude-sonnet-4.5');
    expect(seen.credential).toBe(env.OR_KEY);
    expect(seen.headers['http-referer']).toBe('https://switchyard.example');
    expect(seen.headers['x-openrouter-title']).toBe('Switchyard tests');
    expect(seen.headers['x-title']).toBe('Switchyard tests');
    expect(seen.headers['x-openrouter-categories']).toBe('cli-agent');
  });

  it('402 (out of credits) is reported as an exhausted key in the client format', async () => {
    openaiLike.setHandler(() => ({ kind: 'error', status: 402, body: { error: { code: 402, message: 'Insufficient credits. Add more using https://openrouter.ai/settings/credits' } } }));
    const error = await openai()
      .chat.completions.create({ model: 'or/openai/gpt-5', messages: [{ role: 'user', content: 'hi' }] })
      .then(() => undefined, (caught: unknown) => caught as InstanceType<typeof OpenAI.APIError>);
    expect(error?.status).toBe(402);
    expect(error?.message).toContain('Insufficient credits');
  });
});

describe('compatible presets', () => {
  it('an openai-compatible preset (DeepSeek) speaks OpenAI Chat with Bearer auth', async () => {
    const stream = await openai().chat.completions.create({ model: 'deepseek/deepseek-v4-flash', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello from the fake upstream.');
    expect(openaiLike.requests.at(-1)!.headers.authorization).toBe(`Bearer ${env.DS_KEY}`);
  });

  it('MiniMax reporting a rate limit inside an HTTP 200 (base_resp 1002): that key cools and the other one serves', async () => {
    openaiLike.setHandler((request) =>
      request.credential === env.MM1
        ? { kind: 'raw', status: 200, headers: { 'content-type': 'application/json' }, chunks: [JSON.stringify({ id: '', choices: null, base_resp: { status_code: 1002, status_msg: 'rate limit exceeded(RPM)' } })] }
        : { kind: 'text' },
    );
    const before = openaiLike.requests.length;
    const completion = await openai().chat.completions.create({ model: 'minimax/MiniMax-M2', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]!.message.content).toBe('Hello from the fake upstream.');
    expect(openaiLike.requests.slice(before).map((request) => request.credential)).toEqual([env.MM1, env.MM2]);

    const guard = await fetch(`${running.url}/api/guard/snapshot`, { headers: { authorization: `Bearer ${running.managementToken}` } });
    const snapshot = (await guard.json()) as { providers: { id: string; keys: { id: string; state: string; reason: string | null }[] }[] };
    const one = snapshot.providers.find((provider) => provider.id === 'minimax')!.keys.find((key) => key.id === 'one')!;
    expect(one.state).toBe('cooling');
    expect(one.reason).toContain('rate limit exceeded(RPM)');
  });

  it('an anthropic-compatible preset (GLM) sends the key as Authorization: Bearer, not x-api-key', async () => {
    const message = await anthropic().messages.create({ model: 'glm/glm-4.6', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Hello from the fake upstream.' });
    const seen = anthropicLike.requests.at(-1)!;
    expect(seen.headers.authorization).toBe(`Bearer ${env.GLM_KEY}`);
    expect(seen.headers['x-api-key']).toBeUndefined();
    expect(seen.model).toBe('glm-4.6');
  });
});

describe('Ollama', () => {
  it('OpenAI-compatible API: passthrough at /v1/chat/completions, no key sent', async () => {
    const stream = await openai().chat.completions.create({ model: 'local/qwen3:8b', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello from the fake upstream.');
    const seen = ollama.requests.at(-1)!;
    expect(seen.path).toBe('/v1/chat/completions');
    expect(seen.headers.authorization).toBeUndefined();
  });

  it('native API: the OpenAI Chat body becomes /api/chat with options, and the answer comes back as a chat.completion', async () => {
    const completion = await openai().chat.completions.create({
      model: 'native/qwen3:8b',
      max_tokens: 200,
      temperature: 0.2,
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      ],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]!.message.content).toBe('Hello from the fake upstream.');
    expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 });
    const seen = ollama.requests.at(-1)!;
    expect(seen.path).toBe('/api/chat');
    expect(seen.json).toMatchObject({
      model: 'qwen3:8b',
      stream: false,
      keep_alive: '10m',
      options: { temperature: 0.2, num_predict: 200, num_ctx: 32768 },
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: '', tool_calls: [{ function: { name: 'weather', arguments: { city: 'Oslo' } } }] },
        { role: 'tool', content: 'sunny', tool_name: 'weather' },
      ],
    });
  });

  it('native API: NDJSON streams become OpenAI SSE, tool calls get ids and string arguments, usage when asked', async () => {
    ollama.setHandler(() => ({ kind: 'tool', text: 'Let me check.', calls: [{ name: 'weather', input: { city: 'Oslo' } }] }));
    const stream = await openai().chat.completions.create({
      model: 'native/qwen3:8b',
      stream: true,
      stream_options: { include_usage: true },
      tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      messages: [{ role: 'user', content: 'weather in Oslo?' }],
    });
    let text = '';
    const calls: Array<{ id?: string; name?: string; arguments?: string }> = [];
    let finish: string | null | undefined;
    let usage: unknown;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (chunk.usage) usage = chunk.usage;
      if (!choice) continue;
      text += choice.delta.content ?? '';
      for (const call of choice.delta.tool_calls ?? []) calls.push({ id: call.id, name: call.function?.name, arguments: call.function?.arguments });
      finish = choice.finish_reason ?? finish;
    }
    expect(text).toBe('Let me check.');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.id).toMatch(/^call_/);
    expect(calls[0]!.name).toBe('weather');
    expect(JSON.parse(calls[0]!.arguments!)).toEqual({ city: 'Oslo' });
    expect(finish).toBe('tool_calls');
    expect(usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 7 });
    expect(ollama.requests.at(-1)!.json).toMatchObject({ stream: true, tools: [{ type: 'function', function: { name: 'weather' } }] });
  });

  it('native API behind the translator: an Anthropic client streams from Ollama', async () => {
    ollama.setHandler(() => ({ kind: 'text', text: 'Translated twice and back.', chunks: 4 }));
    const stream = anthropic().messages.stream({ model: 'native/llama3.2:3b', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    const message = await stream.finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: 'Translated twice and back.' }]);
    expect(ollama.requests.at(-1)!.path).toBe('/api/chat');
  });

  it('native API: an error mid-stream reaches the client as a stream error, not a silent end', async () => {
    ollama.setHandler(() => ({ kind: 'raw', status: 200, headers: { 'content-type': 'application/x-ndjson' }, chunks: ['{"model":"m","message":{"role":"assistant","content":"par"},"done":false}\n', '{"error":"model runner crashed"}\n'] }));
    const response = await fetch(`${running.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${running.clientKey}` },
      body: JSON.stringify({ model: 'native/qwen3:8b', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const body = await response.text();
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(body).toContain('"content":"par"');
    expect(body).toMatch(/data: \{"error":\{"message":"ollama: model runner crashed"/);
  });
});

describe('model lists', () => {
  it('GET /v1/models lists what each provider reports, besides configured models, combos and aliases', async () => {
    const listed = await openai().models.list();
    const ids = listed.data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(['local/qwen3:8b', 'local/llama3.2:3b', 'native/qwen3:8b', 'or/fake-model-a', 'glm/fake-model-a']));
    // Preset defaults stay listed next to what the vendor reported.
    expect(ids).toEqual(expect.arrayContaining(['deepseek/deepseek-v4-flash', 'deepseek/fake-model-b']));
    expect(ollama.requests.some((request) => request.path === '/api/tags')).toBe(true);
  });

  it('models.list shows each provider with where its list came from; models.refresh asks the provider again at once', async () => {
    const auth = { authorization: `Bearer ${running.managementToken}` };
    const response = await fetch(`${running.url}/api/models/list`, { headers: auth });
    const { providers } = (await response.json()) as { providers: Array<{ providerId: string; source: string; models: string[]; fetchedAt: number | null }> };
    const local = providers.find((entry) => entry.providerId === 'local')!;
    expect(local).toMatchObject({ source: 'fetched', models: ['qwen3:8b', 'llama3.2:3b'], error: null });
    const asked = ollama.requests.filter((request) => request.path === '/api/tags').length;
    const refreshed = await fetch(`${running.url}/api/models/refresh`, { method: 'POST', headers: auth });
    expect(refreshed.status).toBe(200);
    expect(ollama.requests.filter((request) => request.path === '/api/tags').length).toBeGreaterThan(asked);
  });

  it('a keyless Ollama is healthy on the dashboard once it has answered, and needs no key', async () => {
    await openai().chat.completions.create({ model: 'local/qwen3:8b', messages: [{ role: 'user', content: 'hi' }] });
    const response = await fetch(`${running.url}/api/providers/list`, { headers: { authorization: `Bearer ${running.managementToken}` } });
    const { providers } = (await response.json()) as { providers: Array<{ id: string; health: string; needsKey: boolean; keys: unknown[] }> };
    expect(providers.find((provider) => provider.id === 'local')).toMatchObject({ health: 'healthy', needsKey: false, keys: [] });
    expect(providers.find((provider) => provider.id === 'minimax')).toMatchObject({ needsKey: true });
  });

  it('a fetched model is routable by its bare name', async () => {
    const completion = await openai().chat.completions.create({ model: 'llama3.2:3b', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.model).toBeDefined();
    expect(ollama.requests.at(-1)!.model).toBe('llama3.2:3b');
  });
});
