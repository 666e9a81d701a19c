// POST /v1/embeddings and Gemini's :embedContent / :batchEmbedContents, driven by the official SDKs through a real
// engine to fake providers of each kind (real HTTP on 127.0.0.1 in the vendors' wire formats).
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { fakeVector } from '../../helpers/fake-upstream/side-replies.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';
import { ledgerRows, temporaryDataDir } from '../../helpers/usage-events.ts';

const fakeKey = 'sk-fake-embeddings-upstream-key-0000';
let openai: FakeUpstream;
let gemini: FakeUpstream;
let ollama: FakeUpstream;
let anthropic: FakeUpstream;
let running: RunningEngine;
const data = temporaryDataDir();

beforeAll(async () => {
  [openai, gemini, ollama, anthropic] = await Promise.all([startFakeUpstream('openai'), startFakeUpstream('gemini'), startFakeUpstream('ollama'), startFakeUpstream('anthropic')]);
  const keys = [{ id: 'fake-key-1', secret: { env: 'K' } }];
  running = await startEngine(
    {
      providers: [
        { id: 'oai', type: 'openai', baseUrl: openai.url, keys, fetchModels: false },
        { id: 'gem', type: 'gemini', baseUrl: gemini.url, keys, fetchModels: false },
        { id: 'local', type: 'ollama', baseUrl: ollama.url.replace(/\/v1$/, ''), ollama: { api: 'native' }, fetchModels: false },
        { id: 'router', type: 'openrouter', baseUrl: openai.url, keys, fetchModels: false },
        { id: 'claude', type: 'anthropic', baseUrl: anthropic.url, keys, fetchModels: false },
        // A window of 60 estimated input tokens a minute, and no waiting: the second large input is refused.
        { id: 'tight', type: 'openai', baseUrl: openai.url, keys, fetchModels: false, limits: { tokensPerMinute: 60 }, queue: { maxWaitMs: 0 } },
      ],
      combos: [{ name: 'vectors', targets: ['claude/claude-sonnet-4-5', 'gem/gemini-embedding-001'] }],
    },
    { env: { K: fakeKey }, logLevel: 'error', dataDir: data.dir },
  );
});

afterAll(async () => {
  await running?.stop();
  await Promise.all([openai, gemini, ollama, anthropic].map((upstream) => upstream?.close()));
  data.remove();
});

const openaiClient = () => new OpenAI({ baseURL: `${running.url}/v1`, apiKey: running.clientKey, maxRetries: 0 });
const genai = () => new GoogleGenAI({ apiKey: running.clientKey, httpOptions: { baseUrl: running.url } });
const float32 = (values: number[]) => Array.from(new Float32Array(values));

type Row = { requested_model: string; provider: string | null; input_tokens: number; estimated: number; outcome: string; status: number };
const ledger = () => ledgerRows<Row>(running.engine, data.dir);

describe('OpenAI SDK embeddings', () => {
  it('passes an OpenAI client through to OpenAI: model swapped, provider key, the SDK decodes its base64', async () => {
    const result = await openaiClient().embeddings.create({ model: 'oai/text-embedding-3-small', input: ['alpha', 'beta'] });
    const seen = openai.requests.at(-1)!;
    expect(seen.path).toBe('/v1/embeddings');
    expect(seen.json).toMatchObject({ model: 'text-embedding-3-small', input: ['alpha', 'beta'], encoding_format: 'base64' });
    expect(seen.credential).toBe(fakeKey);
    expect(result.data.map((item) => item.embedding)).toEqual([float32(fakeVector('alpha')), float32(fakeVector('beta'))]);
    expect(result.usage.prompt_tokens).toBe(2);
    const row = ledger().at(-1)!;
    expect(row).toMatchObject({ requested_model: 'oai/text-embedding-3-small', provider: 'oai', input_tokens: 2, estimated: 0, outcome: 'ok' });
  });

  it('translates to Gemini: batchEmbedContents, dimensions as outputDimensionality, base64 encoded by Switchyard', async () => {
    const result = await openaiClient().embeddings.create({ model: 'gem/gemini-embedding-001', input: 'a sentence to embed', dimensions: 8 });
    const seen = gemini.requests.at(-1)!;
    expect(seen.path).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    expect(seen.json).toEqual({ requests: [{ model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a sentence to embed' }] }, outputDimensionality: 8 }] });
    expect(result.data).toHaveLength(1);
    expect(result.data[0]!.embedding).toEqual(float32(fakeVector('a sentence to embed', 8)));
    expect(result.model).toBe('gem/gemini-embedding-001');
    // Gemini reports no usage: the ledger has the engine's estimate (19 characters / 4).
    expect(result.usage.prompt_tokens).toBe(5);
    expect(ledger().at(-1)).toMatchObject({ provider: 'gem', input_tokens: 5, estimated: 1 });
  });

  it('answers floats when asked for floats, and token-id input reaches OpenAI-style providers (Ollama /v1/embeddings)', async () => {
    const result = await openaiClient().embeddings.create({ model: 'local/nomic-embed-text', input: [[1, 2, 3]], encoding_format: 'float' });
    const seen = ollama.requests.at(-1)!;
    expect(seen.path).toBe('/v1/embeddings');
    expect(seen.json).toMatchObject({ model: 'nomic-embed-text', input: [[1, 2, 3]], encoding_format: 'float' });
    expect(result.data[0]!.embedding).toEqual(fakeVector('[1,2,3]'));
  });

  it('serves OpenRouter embeddings at its /embeddings', async () => {
    await openaiClient().embeddings.create({ model: 'router/openai/text-embedding-3-small', input: 'x' });
    expect(openai.requests.at(-1)).toMatchObject({ path: '/v1/embeddings', model: 'openai/text-embedding-3-small' });
  });

  it('a combo skips the provider that does not embed', async () => {
    const before = anthropic.requests.length;
    const result = await openaiClient().embeddings.create({ model: 'vectors', input: 'combo input' });
    expect(result.data[0]!.embedding).toEqual(float32(fakeVector('combo input')));
    expect(anthropic.requests.length).toBe(before);
  });

  it('a provider without embeddings asked directly: a 404 in OpenAI\'s shape naming it', async () => {
    const error = await openaiClient().embeddings.create({ model: 'claude/claude-sonnet-4-5', input: 'x' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).message).toMatch(/"claude" \(anthropic\), which does not serve embeddings/);
  });

  it('refuses bad input with a 400 in OpenAI\'s shape, before any provider is asked', async () => {
    const before = openai.requests.length;
    const error = await openaiClient().embeddings.create({ model: 'oai/text-embedding-3-small', input: [] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String((error as Error).message)).toMatch(/"input"/);
    expect(openai.requests.length).toBe(before);
  });

  it('token ids cannot go to Gemini: a 400 that says why', async () => {
    const error = await openaiClient().embeddings.create({ model: 'gem/gemini-embedding-001', input: [5, 6, 7] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String((error as Error).message)).toMatch(/Gemini embeds text only/);
  });

  it('the token window counts embedding input: the second 40-token input in a 60-token minute is refused, as chat is', async () => {
    const input = 'x'.repeat(160); // 40 estimated tokens
    await openaiClient().embeddings.create({ model: 'tight/text-embedding-3-small', input });
    const before = openai.requests.length;
    const error = await openaiClient().embeddings.create({ model: 'tight/text-embedding-3-small', input }).catch((caught: unknown) => caught);
    // The key's window is full for the next minute and the queue may not wait: the guard's refusal for chat too.
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect(String((error as Error).message)).toMatch(/no usable key/);
    expect(openai.requests.length).toBe(before);
  });
});

describe('@google/genai embedContent', () => {
  it('passes through to Gemini as a batch of one, task type kept, and answers one embedding', async () => {
    const result = await genai().models.embedContent({ model: 'gem/gemini-embedding-001', contents: 'what is a switchyard', config: { taskType: 'RETRIEVAL_QUERY', outputDimensionality: 6 } });
    const seen = gemini.requests.at(-1)!;
    expect(seen.json).toMatchObject({ requests: [{ model: 'models/gemini-embedding-001', taskType: 'RETRIEVAL_QUERY', outputDimensionality: 6, content: { parts: [{ text: 'what is a switchyard' }] } }] });
    expect(result.embeddings?.map((embedding) => embedding.values)).toEqual([fakeVector('what is a switchyard', 6)]);
  });

  it('embeds several contents (batchEmbedContents) through an OpenAI provider: dimensions mapped, task type dropped', async () => {
    const result = await genai().models.embedContent({ model: 'oai/text-embedding-3-small', contents: ['one', 'two'], config: { outputDimensionality: 3, taskType: 'RETRIEVAL_DOCUMENT' } });
    const seen = openai.requests.at(-1)!;
    expect(seen.path).toBe('/v1/embeddings');
    expect(seen.json).toEqual({ model: 'text-embedding-3-small', input: ['one', 'two'], encoding_format: 'float', dimensions: 3 });
    expect(result.embeddings?.map((embedding) => embedding.values)).toEqual([fakeVector('one', 3), fakeVector('two', 3)]);
  });

  it('a provider without embeddings: a 404 in Gemini\'s shape', async () => {
    const error = await genai().models.embedContent({ model: 'claude/claude-sonnet-4-5', contents: 'x' }).catch((caught: unknown) => caught);
    expect(String((error as Error).message)).toMatch(/NOT_FOUND|404/);
    expect(String((error as Error).message)).toMatch(/does not serve embeddings/);
  });
});
