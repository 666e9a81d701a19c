// The usage ledger on the request path: the official SDKs talk to a real engine, which sends to fake providers
// (real HTTP on 127.0.0.1 in the vendors' formats), and the rows are read back from the real SQLite file.
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import type { FakeReply } from '../../helpers/fake-upstream/reply.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';
import { temporaryDataDir } from '../../helpers/usage-events.ts';
import { sse } from '../../helpers/fake-upstream/reply.ts';
import { charactersPerToken } from '../../../main/core/formats/estimate-tokens.ts';

const usage = { input: 1000, output: 80, cacheRead: 600, cacheWrite: 100, reasoning: 30 };
const fakeKey = 'sk-fake-usage-upstream-key-000000';

let anthropic: FakeUpstream;
let openai: FakeUpstream;
let gemini: FakeUpstream;
let ollama: FakeUpstream;
let running: RunningEngine;
const data = temporaryDataDir();

interface Row {
  client_format: string;
  requested_model: string;
  route_kind: string;
  route: string | null;
  provider: string | null;
  model: string | null;
  key_id: string | null;
  attempts: number;
  outcome: string;
  error_code: string | null;
  status: number;
  stream: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  estimated: number;
  ttfb_ms: number | null;
  upstream_failures: number;
  fallbacks: number;
  upstream_rate_limited: number;
  rate_limits_retried: number;
  rate_limits_rotated: number;
  rate_limits_fell_back: number;
}

/** Every row so far, read from the SQLite file itself after the ledger has written its queue. */
function rows(): Row[] {
  running.engine.usage!.recent();
  const db = new Database(join(data.dir, 'usage.db'), { readonly: true });
  try {
    return db.prepare('SELECT * FROM requests ORDER BY id').all() as Row[];
  } finally {
    db.close();
  }
}

let seen = 0;
/** The rows added since the last call. */
function newRows(): Row[] {
  const all = rows();
  const added = all.slice(seen);
  seen = all.length;
  return added;
}

const tokens = (row: Row) => ({ input: row.input_tokens, output: row.output_tokens, cacheRead: row.cache_read_tokens, cacheWrite: row.cache_write_tokens, reasoning: row.reasoning_tokens });

beforeAll(async () => {
  [anthropic, openai, gemini, ollama] = await Promise.all([startFakeUpstream('anthropic'), startFakeUpstream('openai'), startFakeUpstream('gemini'), startFakeUpstream('ollama')]);
  const key = [{ id: 'fake-key-1', secret: { env: 'K' } }];
  running = await startEngine(
    {
      providers: [
        { id: 'claude', type: 'anthropic', baseUrl: anthropic.url, keys: key },
        { id: 'oai', type: 'openai', baseUrl: openai.url, keys: key },
        { id: 'gem', type: 'gemini', baseUrl: gemini.url, keys: key },
        { id: 'local', type: 'ollama', baseUrl: ollama.url.replace(/\/v1$/, ''), ollama: { api: 'native' } },
        { id: 'broken', type: 'openai', baseUrl: openai.url, keys: [{ id: 'fake-key-b', secret: { env: 'K' } }], retry: { maxAttempts: 1 } },
      ],
      combos: [{ name: 'resilient', targets: ['broken/m', 'claude/m'] }],
    },
    { env: { K: fakeKey }, logLevel: 'error', dataDir: data.dir },
  );
});

beforeEach(() => {
  for (const upstream of [anthropic, openai, gemini, ollama]) upstream.setHandler(() => ({ kind: 'text', chunks: 6, usage }));
});

afterAll(async () => {
  await running?.stop();
  await Promise.all([anthropic, openai, gemini, ollama].map((upstream) => upstream?.close()));
  data.remove();
});

const anthropicClient = () => new Anthropic({ baseURL: running.url, apiKey: running.clientKey, maxRetries: 0 });
const openaiClient = () => new OpenAI({ baseURL: `${running.url}/v1`, apiKey: running.clientKey, maxRetries: 0 });

describe('one ledger row per request, tokens as the upstream reported them', () => {
  it('Anthropic, whole and streamed: input excludes the cache figures, nothing counted twice', async () => {
    const client = anthropicClient();
    await client.messages.create({ model: 'claude/m', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    const stream = await client.messages.create({ model: 'claude/m', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] });
    for await (const event of stream) void event;
    const [whole, streamed] = newRows();
    for (const row of [whole!, streamed!]) {
      expect(tokens(row)).toEqual({ input: 1000, output: 80, cacheRead: 600, cacheWrite: 100, reasoning: 0 });
      expect(row).toMatchObject({ client_format: 'anthropic', requested_model: 'claude/m', route_kind: 'direct', provider: 'claude', model: 'm', key_id: 'fake-key-1', attempts: 1, outcome: 'ok', status: 200, estimated: 0 });
      expect(row.ttfb_ms).not.toBeNull();
    }
    expect([whole!.stream, streamed!.stream]).toEqual([0, 1]);
  });

  it('OpenAI Chat stream without include_usage: asked upstream, the usage chunk kept from the client, tokens recorded', async () => {
    const stream = await openaiClient().chat.completions.create({ model: 'oai/m', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(openai.requests.at(-1)!.json!.stream_options).toEqual({ include_usage: true });
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    expect(chunks.every((chunk) => chunk.choices.length > 0)).toBe(true);
    const [row] = newRows();
    // prompt_tokens (1000) include the 600 cached ones; completion_tokens include the 30 reasoning tokens.
    expect(tokens(row!)).toEqual({ input: 400, output: 80, cacheRead: 600, cacheWrite: 0, reasoning: 30 });
    expect(row).toMatchObject({ client_format: 'openai-chat', stream: 1, outcome: 'ok' });
  });

  it('OpenAI Chat whole answer: cached tokens taken out of the prompt once', async () => {
    const answer = await openaiClient().chat.completions.create({ model: 'oai/m', messages: [{ role: 'user', content: 'hi' }] });
    expect(answer.usage!.prompt_tokens).toBe(1000);
    const [row] = newRows();
    expect(tokens(row!)).toEqual({ input: 400, output: 80, cacheRead: 600, cacheWrite: 0, reasoning: 30 });
    expect(row).toMatchObject({ client_format: 'openai-chat', stream: 0, outcome: 'ok', key_id: 'fake-key-1' });
  });

  it('OpenAI Chat stream that asked for usage gets its usage chunk', async () => {
    const stream = await openaiClient().chat.completions.create({ model: 'oai/m', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)!.usage!.prompt_tokens).toBe(1000);
    expect(tokens(newRows()[0]!)).toEqual({ input: 400, output: 80, cacheRead: 600, cacheWrite: 0, reasoning: 30 });
  });

  it('OpenAI Responses, whole and streamed', async () => {
    const client = openaiClient();
    await client.responses.create({ model: 'oai/m', input: 'hi' });
    const stream = await client.responses.create({ model: 'oai/m', input: 'hi', stream: true });
    for await (const event of stream) void event;
    const added = newRows();
    expect(added).toHaveLength(2);
    for (const row of added) expect(tokens(row)).toEqual({ input: 400, output: 80, cacheRead: 600, cacheWrite: 0, reasoning: 30 });
    expect(added.map((row) => row.client_format)).toEqual(['openai-responses', 'openai-responses']);
  });

  it('Gemini, whole and streamed: output adds the thought tokens', async () => {
    const client = new GoogleGenAI({ apiKey: running.clientKey, httpOptions: { baseUrl: running.url } });
    await client.models.generateContent({ model: 'gem/m', contents: 'hi' });
    for await (const chunk of await client.models.generateContentStream({ model: 'gem/m', contents: 'hi' })) void chunk;
    const added = newRows();
    expect(added).toHaveLength(2);
    for (const row of added) expect(tokens(row)).toEqual({ input: 400, output: 110, cacheRead: 600, cacheWrite: 0, reasoning: 30 });
    expect(added[0]).toMatchObject({ client_format: 'gemini', requested_model: 'gem/m', provider: 'gem' });
  });

  it('a translated request (Anthropic client to an OpenAI provider) records the upstream figures', async () => {
    const stream = await anthropicClient().messages.create({ model: 'oai/m', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] });
    for await (const event of stream) void event;
    expect(tokens(newRows()[0]!)).toEqual({ input: 400, output: 80, cacheRead: 600, cacheWrite: 0, reasoning: 30 });
  });

  it("Ollama's native counts, whole and streamed", async () => {
    const client = openaiClient();
    await client.chat.completions.create({ model: 'local/m', messages: [{ role: 'user', content: 'hi' }] });
    for await (const chunk of await client.chat.completions.create({ model: 'local/m', stream: true, messages: [{ role: 'user', content: 'hi' }] })) void chunk;
    const added = newRows();
    expect(added.map(tokens)).toEqual([
      { input: 1000, output: 80, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
      { input: 1000, output: 80, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
    ]);
    // A keyless provider is served under the guard's one placeholder key.
    expect(added[0]!.key_id).toBe('no-key');
  });

  it('a stream the client aborts records what had arrived, marked aborted; its output is estimated from the text', async () => {
    const text = 'x'.repeat(400);
    anthropic.setHandler(() => ({ kind: 'text', text, chunks: 40, chunkDelayMs: 25, usage }));
    const controller = new AbortController();
    const stream = await anthropicClient().messages.create({ model: 'claude/m', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] }, { signal: controller.signal });
    let events = 0;
    try {
      for await (const event of stream) {
        events += 1;
        if (event.type === 'content_block_delta') controller.abort();
      }
    } catch {
      // The SDK may end the iteration or throw when its request is aborted; either way the client has left.
    }
    expect(events).toBeGreaterThan(0);
    // The engine records when it notices the client left; wait for that (bounded).
    let added: Row[] = [];
    for (let tries = 0; tries < 100 && added.length === 0; tries += 1) {
      added = newRows();
      if (added.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ outcome: 'aborted', stream: 1, provider: 'claude', estimated: 1 });
    // message_start had arrived: its input and cache figures are kept. Its output count (1) is only a placeholder and
    // message_delta never came, so the output is estimated from the text that had arrived (10 characters a chunk):
    // at least the one delta the client saw, less than the whole answer.
    expect(tokens(added[0]!)).toMatchObject({ input: 1000, cacheRead: 600, cacheWrite: 100 });
    expect(added[0]!.output_tokens).toBeGreaterThanOrEqual(Math.ceil(10 / charactersPerToken));
    expect(added[0]!.output_tokens).toBeLessThan(text.length / charactersPerToken);
  });

  it('a request refused locally is one row, marked refused, with no tokens', async () => {
    await expect(anthropicClient().messages.create({ model: 'no-such-model', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] })).rejects.toThrow();
    const response = await fetch(`${running.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${running.clientKey}`, 'content-type': 'application/json' }, body: '{not json' });
    expect(response.status).toBe(400);
    const added = newRows();
    expect(added).toHaveLength(2);
    expect(added[0]).toMatchObject({ outcome: 'refused', requested_model: 'no-such-model', attempts: 0, provider: null, input_tokens: 0, output_tokens: 0, estimated: 0 });
    expect(added[0]!.status).toBeGreaterThanOrEqual(400);
    expect(added[1]).toMatchObject({ outcome: 'refused', error_code: 'invalid_json', status: 400, client_format: 'openai-chat' });
  });

  it("a combo's fallback: one row with both attempts, the fallback and the target that answered", async () => {
    openai.setHandler(() => ({ kind: 'error', status: 503, message: 'fake outage' }));
    await anthropicClient().messages.create({ model: 'resilient', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    const added = newRows();
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ route_kind: 'combo', route: 'resilient', provider: 'claude', key_id: 'fake-key-1', outcome: 'ok', fallbacks: 1 });
    expect(added[0]!.attempts).toBeGreaterThanOrEqual(2);
    expect(added[0]!.upstream_failures).toBe(added[0]!.attempts - 1);
    expect(tokens(added[0]!)).toEqual({ input: 1000, output: 80, cacheRead: 600, cacheWrite: 100, reasoning: 0 });
  });

  it("a combo's first target rate-limited: each 429 filed by what the guard did next, the last one by the fallback", async () => {
    openai.setHandler(() => ({ kind: 'error', status: 429, message: 'fake rate limit', headers: { 'retry-after': '0' } }));
    await anthropicClient().messages.create({ model: 'resilient', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    const added = newRows();
    expect(added).toHaveLength(1);
    const row = added[0]!;
    expect(row).toMatchObject({ provider: 'claude', outcome: 'ok', status: 200, fallbacks: 1, rate_limits_fell_back: 1 });
    // Every attempt but the last (which answered) was rate-limited; all but the one before the fallback were retried or rotated.
    expect(row.upstream_rate_limited).toBe(row.attempts - 1);
    expect(row.rate_limits_retried + row.rate_limits_rotated).toBe(row.upstream_rate_limited - 1);
  });

  it('an upstream error that reaches the client is recorded as an error with its code', async () => {
    anthropic.setHandler(() => ({ kind: 'error', status: 400, message: 'fake bad request' }));
    await expect(anthropicClient().messages.create({ model: 'claude/m', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] })).rejects.toThrow();
    expect(newRows()[0]).toMatchObject({ outcome: 'error', status: 400, attempts: 1, provider: 'claude' });
  });

  it('keeps no secret in the database', async () => {
    const db = new Database(join(data.dir, 'usage.db'), { readonly: true });
    try {
      const dump = JSON.stringify(db.prepare('SELECT * FROM requests').all());
      expect(dump).not.toContain(fakeKey);
      expect(dump).not.toContain(running.clientKey);
    } finally {
      db.close();
    }
  });
});

type FakeReplyRaw = Extract<FakeReply, { kind: 'raw' }>;

// Some OpenAI-compatible hosts report no usage at all (they ignore stream_options.include_usage). The row is then
// estimated: input from the request, output from the characters of text, reasoning and tool arguments received.
describe('an upstream that reports no usage: estimated rows', () => {
  const text = 'The quick brown fox jumps over the lazy dog, again and again. '.repeat(5);
  const pieces = text.match(/.{1,37}/gs)!;
  const expectedOutput = (characters: number) => Math.ceil(characters / charactersPerToken);
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => sse({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] });
  const noUsageStream = (deltas: Record<string, unknown>[], finish: string): FakeReplyRaw => ({
    kind: 'raw',
    status: 200,
    headers: { 'content-type': 'text/event-stream' },
    chunks: [...deltas.map((delta) => chunk(delta)), chunk({}, finish), 'data: [DONE]\n\n'],
  });

  it('OpenAI Chat stream without a usage chunk: estimated=1, output = characters received / charactersPerToken', async () => {
    openai.setHandler(() => noUsageStream([{ role: 'assistant', content: '' }, ...pieces.map((content) => ({ content }))], 'stop'));
    const stream = await openaiClient().chat.completions.create({ model: 'oai/m', stream: true, messages: [{ role: 'user', content: 'Tell me about the fox.' }] });
    let received = '';
    for await (const part of stream) received += part.choices[0]?.delta.content ?? '';
    expect(received).toBe(text);
    const [row] = newRows();
    expect(row).toMatchObject({ outcome: 'ok', stream: 1, estimated: 1, output_tokens: expectedOutput(text.length), cache_read_tokens: 0 });
    expect(row!.input_tokens).toBeGreaterThan(0);
  });

  it('OpenAI Chat whole answer without usage, with reasoning: both counted', async () => {
    const reasoning = 'Think about foxes first.';
    openai.setHandler(() => ({
      kind: 'raw',
      status: 200,
      headers: { 'content-type': 'application/json' },
      chunks: [JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: text, reasoning_content: reasoning } }] })],
    }));
    await openaiClient().chat.completions.create({ model: 'oai/m', messages: [{ role: 'user', content: 'Tell me about the fox.' }] });
    const [row] = newRows();
    expect(row).toMatchObject({ outcome: 'ok', stream: 0, estimated: 1, output_tokens: expectedOutput(text.length + reasoning.length) });
  });

  it('a translated stream (Anthropic client, OpenAI host) with a tool call: the arguments count too', async () => {
    const argumentPieces = ['{"query":', '"foxes and dogs",', '"limit":10}'];
    openai.setHandler(() =>
      noUsageStream(
        [
          { role: 'assistant', content: 'Searching.' },
          { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'search', arguments: '' } }] },
          ...argumentPieces.map((piece) => ({ tool_calls: [{ index: 0, function: { arguments: piece } }] })),
        ],
        'tool_calls',
      ),
    );
    const stream = await anthropicClient().messages.create({
      model: 'oai/m',
      max_tokens: 50,
      stream: true,
      tools: [{ name: 'search', input_schema: { type: 'object', properties: { query: { type: 'string' }, limit: { type: 'number' } } } }],
      messages: [{ role: 'user', content: 'Find foxes.' }],
    });
    let toolInput = '';
    for await (const event of stream) if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') toolInput += event.delta.partial_json;
    expect(toolInput).toBe(argumentPieces.join(''));
    const [row] = newRows();
    expect(row).toMatchObject({ client_format: 'anthropic', provider: 'oai', estimated: 1, output_tokens: expectedOutput('Searching.'.length + toolInput.length) });
  });

  it("Ollama's native stream without eval_count: read through the provider's own wire decoder", async () => {
    const line = (message: Record<string, unknown>, done = false) => `${JSON.stringify({ model: 'm', created_at: '2026-08-01T12:00:00.000Z', message: { role: 'assistant', ...message }, done })}\n`;
    ollama.setHandler(() => ({
      kind: 'raw',
      status: 200,
      headers: { 'content-type': 'application/x-ndjson' },
      chunks: [...pieces.map((content) => line({ content })), line({ content: '' }, true).replace('"done":true', '"done":true,"done_reason":"stop"')],
    }));
    for await (const part of await openaiClient().chat.completions.create({ model: 'local/m', stream: true, messages: [{ role: 'user', content: 'hi' }] })) void part;
    const [row] = newRows();
    expect(row).toMatchObject({ provider: 'local', estimated: 1, output_tokens: expectedOutput(text.length) });
  });

  it('an upstream that reports its usage is not estimated, even with text in the answer', async () => {
    for await (const part of await openaiClient().chat.completions.create({ model: 'oai/m', stream: true, messages: [{ role: 'user', content: 'hi' }] })) void part;
    expect(newRows()[0]).toMatchObject({ estimated: 0, output_tokens: 80 });
  });
});
