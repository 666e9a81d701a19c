// shaping.claudeCode.answerLocally through a real engine: the Anthropic SDK gets a valid answer, whole or streamed,
// no provider is called, and the ledger row says local. Ordinary requests (the real fixtures) still reach the provider.
import Anthropic from '@anthropic-ai/sdk';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';
import { ledgerRows, temporaryDataDir } from '../../helpers/usage-events.ts';

const fixture = (name: string) => (JSON.parse(readFileSync(new URL(`../../fixtures/real-client-requests/claude-title/${name}`, import.meta.url), 'utf8')) as { body: Record<string, unknown> }).body;
const titleRequest = fixture('001-POST-v1_messages.json');
const conversation = fixture('002-POST-v1_messages.json');

let upstream: FakeUpstream;
let on: RunningEngine;
let off: RunningEngine;
const data = temporaryDataDir();

beforeAll(async () => {
  upstream = await startFakeUpstream('anthropic');
  const provider = { id: 'claude', type: 'anthropic' as const, baseUrl: upstream.url, keys: [{ id: 'k', secret: { env: 'K' } }], fetchModels: false };
  const env = { K: 'fake-anthropic-side-request-key-00' };
  on = await startEngine({ providers: [provider], shaping: { claudeCode: { answerLocally: ['title', 'warmup'] } } }, { env, logLevel: 'error', dataDir: data.dir });
  off = await startEngine({ providers: [provider] }, { env, logLevel: 'error' });
});

afterAll(async () => {
  await Promise.all([on?.stop(), off?.stop()]);
  await upstream?.close();
  data.remove();
});

const client = (engine: RunningEngine) => new Anthropic({ baseURL: engine.url, apiKey: engine.clientKey, maxRetries: 0 });
type Params = Parameters<Anthropic['messages']['create']>[0];

type Row = { route_kind: string; route: string | null; provider: string | null; attempts: number; outcome: string; input_tokens: number; output_tokens: number; estimated: number };
const lastRow = () => ledgerRows<Row>(on.engine, data.dir).at(-1)!;

describe('answered locally when enabled', () => {
  it('the real title request, streamed as Claude Code sends it: a valid SSE answer, no provider call, a local ledger row', async () => {
    const before = upstream.requests.length;
    const message = await client(on).messages.stream({ ...(titleRequest as unknown as Params), stream: undefined } as never).finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: '{"title":"Fix the flaky retry test"}' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(upstream.requests.length).toBe(before);
    expect(lastRow()).toMatchObject({ route_kind: 'local', route: 'title', provider: null, attempts: 0, outcome: 'ok', input_tokens: 0, output_tokens: 0, estimated: 0 });
  });

  it('a warm-up, whole: a complete Anthropic message', async () => {
    const before = upstream.requests.length;
    const message = await client(on).messages.create({ model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'Warmup' }] });
    expect(message).toMatchObject({ type: 'message', role: 'assistant', model: 'claude-haiku-4-5', content: [{ type: 'text', text: 'Ready.' }], stop_reason: 'end_turn' });
    expect(message.id).toMatch(/^msg_/);
    expect(upstream.requests.length).toBe(before);
    expect(lastRow()).toMatchObject({ route_kind: 'local', route: 'warmup' });
  });

  it('the real conversation turn beside it still goes to the provider', async () => {
    const before = upstream.requests.length;
    await client(on).messages.stream({ ...(conversation as unknown as Params), stream: undefined } as never).finalMessage();
    expect(upstream.requests.length).toBe(before + 1);
    expect(lastRow()).toMatchObject({ route_kind: 'direct', provider: 'claude', attempts: 1 });
  });
});

it('off by default: the same title request goes to the provider', async () => {
  const before = upstream.requests.length;
  await client(off).messages.stream({ ...(titleRequest as unknown as Params), stream: undefined } as never).finalMessage();
  expect(upstream.requests.length).toBe(before + 1);
});
