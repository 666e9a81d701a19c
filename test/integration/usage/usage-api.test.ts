// The usage channels and the export route over the engine's management API, after real requests went through it.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';
import { temporaryDataDir } from '../../helpers/usage-events.ts';
import { exportFields } from '../../../main/core/usage/usage-export.ts';
import type { CredentialUsageView, LedgerStatusView, UsageRequestPage, UsageSummaryView } from '../../../shared/usage-views.ts';

const fakeKey = 'sk-fake-usage-api-upstream-key-0000';
let upstream: FakeUpstream;
let running: RunningEngine;
let bare: RunningEngine;
const data = temporaryDataDir();
let startedAt = 0;

function config(url: string) {
  return { providers: [{ id: 'claude', type: 'anthropic' as const, baseUrl: url, keys: [{ id: 'fake-key-1', secret: { env: 'K' } }] }] };
}

beforeAll(async () => {
  upstream = await startFakeUpstream('anthropic');
  upstream.setHandler(() => ({ kind: 'text', chunks: 3, usage: { input: 100, output: 20, cacheRead: 50 } }));
  running = await startEngine(config(upstream.url), { env: { K: fakeKey }, logLevel: 'error', dataDir: data.dir });
  bare = await startEngine(config(upstream.url), { env: { K: fakeKey }, logLevel: 'error' });
  startedAt = Date.now();
  const client = new Anthropic({ baseURL: running.url, apiKey: running.clientKey, maxRetries: 0 });
  for (let index = 0; index < 3; index += 1) await client.messages.create({ model: 'claude/m', max_tokens: 10, messages: [{ role: 'user', content: `hi ${index}` }] });
  await expect(client.messages.create({ model: 'nowhere', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })).rejects.toThrow();
});

afterAll(async () => {
  await running?.stop();
  await bare?.stop();
  await upstream?.close();
  data.remove();
});

async function api(engine: RunningEngine, path: string, body?: unknown, token: string | null = engine.managementToken): Promise<Response> {
  return fetch(`${engine.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** A JSON answer, typed as the channel promises (the control service has validated it against the contract). */
async function answer<T>(response: Response | Promise<Response>): Promise<T> {
  return (await (await response).json()) as T;
}
type Failure = { error: { code: string; message: string } };

const range = () => ({ from: startedAt - 60_000, to: Date.now() + 60_000 });

describe('usage channels', () => {
  it('usage.summary adds up the requests, grouped by provider', async () => {
    const response = await api(running, '/api/usage/summary', { ...range(), bucket: 'minute', groupBy: 'provider' });
    expect(response.status).toBe(200);
    const summary = await answer<UsageSummaryView>(response);
    expect(summary.totals).toMatchObject({ requests: 4, errors: 1, inputTokens: 300, cacheReadTokens: 150, outputTokens: 60 });
    expect(summary.source).toBe('raw');
  });

  it('usage.recent lists the newest first and filters by outcome', async () => {
    const all = await answer<UsageRequestPage>(api(running, '/api/usage/recent', { limit: 10 }));
    expect(all.requests).toHaveLength(4);
    expect(all.requests[0]).toMatchObject({ outcome: 'refused', requestedModel: 'nowhere' });
    const ok = await answer<UsageRequestPage>(api(running, '/api/usage/recent', { outcome: 'ok' }));
    expect(ok.requests.map((request) => request.outcome)).toEqual(['ok', 'ok', 'ok']);
  });

  it('usage.credentials names the key by id, usage.status says recording', async () => {
    const { credentials } = await answer<{ credentials: CredentialUsageView[] }>(api(running, '/api/usage/credentials', range()));
    expect(credentials).toEqual([expect.objectContaining({ provider: 'claude', keyId: 'fake-key-1', accountId: null })]);
    const status = await answer<LedgerStatusView>(api(running, '/api/usage/status'));
    expect(status).toMatchObject({ health: 'ok', recorded: 4, dropped: 0 });
    expect(JSON.stringify({ credentials, status })).not.toContain(fakeKey);
  });

  it('refuses a backwards range, and says why an engine without a ledger cannot answer', async () => {
    const backwards = await api(running, '/api/usage/summary', { from: 10, to: 5 });
    expect(backwards.status).toBe(400);
    expect((await answer<Failure>(backwards)).error.code).toBe('invalid_arguments');
    const none = await api(bare, '/api/usage/summary', range());
    expect(none.status).toBe(503);
    expect((await answer<Failure>(none)).error.message).toMatch(/no usage ledger/);
    expect(await answer<LedgerStatusView>(api(bare, '/api/usage/status'))).toMatchObject({ health: 'unavailable' });
  });
});

describe('GET /api/usage/export', () => {
  const query = (format: string) => `/api/usage/export?from=${new Date(range().from).toISOString()}&to=${new Date(range().to).toISOString()}&format=${format}`;

  it('streams one JSON line per request with exactly the promised fields', async () => {
    const response = await api(running, query('jsonl'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(Object.keys(line)).toEqual([...exportFields]);
    expect(lines[0]).toMatchObject({ provider: 'claude', key: 'fake-key-1', inputTokens: 100, cacheReadTokens: 50, outcome: 'ok', costUsd: null });
  });

  it('streams CSV with a header line', async () => {
    const text = await (await api(running, query('csv'))).text();
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(exportFields.join(','));
    expect(lines).toHaveLength(5);
  });

  it('needs the management token and a valid range and format', async () => {
    expect((await api(running, query('jsonl'), undefined, null)).status).toBe(401);
    const bad = await api(running, '/api/usage/export?from=yesterday');
    expect(bad.status).toBe(400);
    expect((await answer<Failure>(bad)).error.message).toMatch(/ISO 8601/);
    expect((await api(running, query('xml'))).status).toBe(400);
    expect((await api(bare, query('jsonl'))).status).toBe(503);
  });
});
