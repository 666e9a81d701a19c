// POST /v1/images/generations driven by the openai SDK through a real engine to fake providers: OpenAI-style ones
// get the client's bytes and their answer is relayed as it arrives; Gemini image models get generateContent with
// image output, and their inlineData comes back as b64_json (or a data: URL).
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { fakeImageBase64 } from '../../helpers/fake-upstream/side-replies.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';
import { ledgerRows, temporaryDataDir } from '../../helpers/usage-events.ts';

const fakeKey = 'sk-fake-images-upstream-key-0000';
/** Big enough that a whole-answer copy would show: 3 MB of image per picture. */
const imageBytes = 3 * 1024 * 1024;
let openai: FakeUpstream;
let gemini: FakeUpstream;
let anthropic: FakeUpstream;
let running: RunningEngine;
const data = temporaryDataDir();
type Row = { provider: string | null; input_tokens: number; output_tokens: number; stream: number; outcome: string };
const lastRow = () => ledgerRows<Row>(running.engine, data.dir).at(-1)!;

beforeAll(async () => {
  [openai, gemini, anthropic] = await Promise.all([startFakeUpstream('openai', { imageBytes }), startFakeUpstream('gemini', { imageBytes }), startFakeUpstream('anthropic')]);
  const keys = [{ id: 'fake-key-1', secret: { env: 'K' } }];
  running = await startEngine(
    {
      providers: [
        { id: 'oai', type: 'openai', baseUrl: openai.url, keys, fetchModels: false },
        { id: 'compat', type: 'openai-compatible', baseUrl: openai.url, keys, fetchModels: false },
        { id: 'gem', type: 'gemini', baseUrl: gemini.url, keys, fetchModels: false },
        { id: 'claude', type: 'anthropic', baseUrl: anthropic.url, keys, fetchModels: false },
      ],
      combos: [{ name: 'pictures', targets: ['claude/claude-sonnet-4-5', 'gem/gemini-2.5-flash-image'] }],
    },
    { env: { K: fakeKey }, logLevel: 'error', dataDir: data.dir },
  );
});

afterAll(async () => {
  await running?.stop();
  await Promise.all([openai, gemini, anthropic].map((upstream) => upstream?.close()));
  data.remove();
});

const client = () => new OpenAI({ baseURL: `${running.url}/v1`, apiKey: running.clientKey, maxRetries: 0, timeout: 20_000 });

describe('OpenAI SDK images.generate', () => {
  it('passes through to OpenAI: the model swapped, the provider key, a 3 MB image relayed intact', async () => {
    const result = await client().images.generate({ model: 'oai/gpt-image-1', prompt: 'a red caboose', size: '1024x1024', quality: 'high' });
    const seen = openai.requests.at(-1)!;
    expect(seen.path).toBe('/v1/images/generations');
    expect(seen.json).toEqual({ model: 'gpt-image-1', prompt: 'a red caboose', size: '1024x1024', quality: 'high' });
    expect(seen.credential).toBe(fakeKey);
    expect(result.data?.[0]?.b64_json).toBe(fakeImageBase64(imageBytes, 1));
    expect(result.usage?.output_tokens).toBe(1056);
    // Read from the bytes on their way through: gpt-image models report usage as the Responses API does.
    expect(lastRow()).toMatchObject({ provider: 'oai', input_tokens: 9, output_tokens: 1056, stream: 0, outcome: 'ok' });
  });

  it('relays the answer as it arrives: the client has the first bytes while the provider is still sending', async () => {
    const head = `{"created":1,"data":[{"b64_json":"${'A'.repeat(64 * 1024)}`;
    openai.setHandler(() => ({ kind: 'raw', status: 200, headers: { 'content-type': 'application/json' }, chunks: [head, `"}]}`], chunkDelayMs: 1_500 }));
    try {
      const answer = await fetch(`${running.url}/v1/images/generations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${running.clientKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'oai/gpt-image-1', prompt: 'a long freight train' }),
      });
      expect(answer.status).toBe(200);
      const reader = answer.body!.getReader();
      const first = await reader.read();
      expect(first.value!.length).toBeGreaterThan(0);
      // The provider has not finished its answer yet: nothing waited for the whole body.
      expect(openai.active).toBe(1);
      let text = Buffer.from(first.value!).toString('utf8');
      for (let read = await reader.read(), count = 0; !read.done && count < 10_000; read = await reader.read(), count++) text += Buffer.from(read.value).toString('utf8');
      expect(JSON.parse(text)).toEqual({ created: 1, data: [{ b64_json: 'A'.repeat(64 * 1024) }] });
    } finally {
      openai.setHandler(() => ({ kind: 'text' }));
    }
  });

  it('serves an OpenAI-compatible host too, with n and response_format url', async () => {
    const result = await client().images.generate({ model: 'compat/cogview-4', prompt: 'a signal box', n: 2, response_format: 'url' });
    expect(openai.requests.at(-1)!.json).toMatchObject({ model: 'cogview-4', n: 2, response_format: 'url' });
    expect(result.data?.map((image) => image.url)).toEqual(['https://images.example.invalid/fake-0.png', 'https://images.example.invalid/fake-1.png']);
  });

  it('translates to a Gemini image model: image output asked, n as candidateCount, the size as an aspect ratio', async () => {
    const result = await client().images.generate({ model: 'gem/gemini-2.5-flash-image', prompt: 'a turntable at dusk', n: 2, size: '1536x1024' });
    const seen = gemini.requests.at(-1)!;
    expect(seen.path).toBe('/v1beta/models/gemini-2.5-flash-image:generateContent');
    expect(seen.json).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'a turntable at dusk' }] }],
      generationConfig: { responseModalities: ['TEXT', 'IMAGE'], candidateCount: 2, imageConfig: { aspectRatio: '3:2' } },
    });
    expect(result.data?.map((image) => image.b64_json)).toEqual([fakeImageBase64(imageBytes, 1), fakeImageBase64(imageBytes, 2)]);
    expect(result.output_format).toBe('png');
    expect(lastRow()).toMatchObject({ provider: 'gem', input_tokens: 8, output_tokens: 1290, outcome: 'ok' });
  });

  it('answers a Gemini image as a data: URL when the client asked for url', async () => {
    const result = await client().images.generate({ model: 'pictures', prompt: 'a water tower', response_format: 'url' });
    expect(result.data?.[0]?.url).toBe(`data:image/png;base64,${fakeImageBase64(imageBytes, 1)}`);
  });

  it('a Gemini model that answers without an image: a clear error, not an empty list', async () => {
    gemini.setHandler(() => ({ kind: 'raw', status: 200, headers: { 'content-type': 'application/json' }, chunks: [JSON.stringify({ candidates: [{ content: { parts: [{ text: 'I cannot draw that.' }] }, finishReason: 'IMAGE_SAFETY' }] })] }));
    try {
      const error = await client().images.generate({ model: 'gem/gemini-2.5-flash-image', prompt: 'x' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
      expect(String((error as Error).message)).toMatch(/without an image \(finishReason IMAGE_SAFETY\)/);
    } finally {
      gemini.setHandler(() => ({ kind: 'text' }));
    }
  });

  it('a provider without image generation asked directly: a 404 in OpenAI\'s shape naming it', async () => {
    const error = await client().images.generate({ model: 'claude/claude-sonnet-4-5', prompt: 'x' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(String((error as Error).message)).toMatch(/"claude" \(anthropic\), which does not serve image generation/);
  });

  it('refuses a request without a prompt with a 400, before any provider is asked', async () => {
    const before = openai.requests.length;
    const error = await client().images.generate({ model: 'oai/gpt-image-1', prompt: '' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(openai.requests.length).toBe(before);
  });

  it('an upstream error is relayed in OpenAI\'s shape with its status', async () => {
    openai.setHandler(() => ({ kind: 'error', status: 400, message: 'Your request was rejected by the safety system.', type: 'image_generation_user_error' }));
    try {
      const error = await client().images.generate({ model: 'oai/gpt-image-1', prompt: 'x' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(String((error as Error).message)).toMatch(/safety system/);
    } finally {
      openai.setHandler(() => ({ kind: 'text' }));
    }
  });
});
