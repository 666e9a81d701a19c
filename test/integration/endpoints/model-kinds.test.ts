// GET /v1/models in each client's shape marks embedding and image models with their kind (issue 16 point 4), read
// through the official SDKs' own list calls; chat models' entries stay exactly as before.
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';

let running: RunningEngine;
const keys = [{ id: 'k', secret: { env: 'K' } }];

beforeAll(async () => {
  // Nothing is fetched (fetchModels: false), so no provider is contacted: the lists are the configured ones.
  running = await startEngine(
    {
      providers: [
        { id: 'oai', type: 'openai', baseUrl: 'http://127.0.0.1:9/v1', keys, fetchModels: false, models: ['gpt-5.5', 'text-embedding-3-small', 'gpt-image-1'] },
        { id: 'gem', type: 'gemini', baseUrl: 'http://127.0.0.1:9', keys, fetchModels: false, models: ['gemini-2.5-flash', 'gemini-embedding-001', 'gemini-2.5-flash-image'] },
        // Anthropic serves neither: a name that looks like one is still a chat model there.
        { id: 'claude', type: 'anthropic', baseUrl: 'http://127.0.0.1:9', keys, fetchModels: false, models: ['claude-sonnet-4-5', 'embed-lookalike'] },
      ],
    },
    { env: { K: 'fake-model-kinds-key-000000000000' }, logLevel: 'error' },
  );
});

afterAll(async () => {
  await running?.stop();
});

const kinds = { 'oai/text-embedding-3-small': 'embedding', 'oai/gpt-image-1': 'image', 'gem/gemini-embedding-001': 'embedding', 'gem/gemini-2.5-flash-image': 'image' } as Record<string, string>;

describe('model kinds in every list shape', () => {
  it('OpenAI shape: `kind` on embedding and image models only; chat entries unchanged', async () => {
    const list: Array<Record<string, unknown>> = [];
    for await (const model of new OpenAI({ baseURL: `${running.url}/v1`, apiKey: running.clientKey, maxRetries: 0 }).models.list()) list.push(model as never);
    for (const model of list) {
      const id = model.id as string;
      if (kinds[id]) expect(model).toEqual({ id, object: 'model', created: 1_700_000_000, owned_by: id.split('/')[0], kind: kinds[id] });
      else expect(model).toEqual({ id, object: 'model', created: 1_700_000_000, owned_by: id.split('/')[0] });
    }
    expect(list.filter((model) => model.kind === 'embedding').map((model) => model.id)).toEqual(['oai/text-embedding-3-small', 'gem/gemini-embedding-001']);
    expect(list.find((model) => model.id === 'claude/embed-lookalike')).not.toHaveProperty('kind');
  });

  it('Anthropic shape: the same `kind` field', async () => {
    const list: Array<Record<string, unknown>> = [];
    for await (const model of new Anthropic({ baseURL: running.url, apiKey: running.clientKey, maxRetries: 0 }).models.list()) list.push(model as never);
    expect(list.filter((model) => model.kind === 'image').map((model) => model.id)).toEqual(['oai/gpt-image-1', 'gem/gemini-2.5-flash-image']);
    expect(list.find((model) => model.id === 'claude/claude-sonnet-4-5')).not.toHaveProperty('kind');
  });

  it("Gemini shape (the SDK asks GET /v1/models with Google's headers): embedding models list Gemini's embedding methods", async () => {
    const pager = await new GoogleGenAI({ apiKey: running.clientKey, httpOptions: { baseUrl: running.url } }).models.list();
    const list: Array<{ name?: string; supportedActions?: string[] }> = [];
    for await (const model of pager) list.push(model as never);
    const actions = (name: string) => list.find((model) => model.name === `models/${name}`)?.supportedActions;
    expect(actions('gem/gemini-embedding-001')).toEqual(['embedContent', 'batchEmbedContents']);
    expect(actions('gem/gemini-2.5-flash')).toEqual(['generateContent', 'streamGenerateContent', 'countTokens']);
  });
});
