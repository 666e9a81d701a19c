import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { usageSchema } from '../../../shared/config/usage-schema.ts';
import { credentialUsageViewSchema, usageRequestPageSchema, usageSummaryViewSchema } from '../../../shared/usage-views.ts';
import { temporaryDataDir, usageEvent } from '../../../test/helpers/usage-events.ts';
import { exportFields } from './usage-export.ts';
import type { UsageLedger } from './usage-ledger.ts';
import { openUsageLedger } from './usage-ledger.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const base = Date.UTC(2026, 11, 1, 12, 0, 0);
const minute = 60_000;
const hour = 3_600_000;

function ledger(now = base + 2 * hour, config: Partial<ReturnType<typeof usageSchema.parse>> = {}): UsageLedger {
  const temporary = temporaryDataDir();
  const opened = openUsageLedger({ dataDir: temporary.dir, config: { ...usageSchema.parse({}), ...config }, now: () => now, flushIntervalMs: 60_000 });
  cleanups.push(temporary.remove, () => opened.close());
  return opened;
}

function seeded(): UsageLedger {
  const usage = ledger();
  // Hour 12: three anthropic requests (one rate-limited to the client), hour 13: one openai request with a fallback.
  usage.record(usageEvent({ startedAt: base, durationMs: 100 }));
  usage.record(usageEvent({ startedAt: base + minute, durationMs: 300, keyId: 'fake-key-2', upstreamRateLimited: 2, keyRotations: 1 }));
  usage.record(usageEvent({ startedAt: base + 2 * minute, durationMs: 200, outcome: 'error', errorCode: 'rate_limited', status: 429, upstreamRateLimited: 1 }));
  usage.record(usageEvent({ startedAt: base + hour, durationMs: 1000, provider: 'openai', model: 'gpt-x', clientFormat: 'openai-chat', routeKind: 'combo', route: 'work', fallbacks: 1, usage: { inputTokens: 50, outputTokens: 5 } }));
  return usage;
}

describe('usage queries', () => {
  it('a range summary grouped by provider in hour buckets, with totals, percentiles and the guard work', () => {
    const summary = seeded().summary({ from: base, to: base + 2 * hour, bucket: 'hour', groupBy: 'provider' });
    usageSummaryViewSchema.parse(summary);
    expect(summary.source).toBe('raw');
    expect(summary.buckets.map((bucket) => [bucket.start, bucket.group, bucket.totals.requests])).toEqual([
      [base, 'anthropic', 3],
      [base + hour, 'openai', 1],
    ]);
    const anthropic = summary.buckets[0]!.totals;
    expect(anthropic).toMatchObject({ errors: 1, inputTokens: 900, cacheReadTokens: 1800, latencyP50Ms: 200, latencyP95Ms: 300, upstreamRateLimited: 3, keyRotations: 1, rateLimitedReachedClient: 1 });
    expect(summary.buckets[1]!.totals).toMatchObject({ fallbacks: 1, unpricedRequests: 1, costUsd: 0 });
    expect(summary.totals).toMatchObject({ requests: 4, latencyP50Ms: 200, latencyP95Ms: 1000, unpricedRequests: 1 });
    expect(summary.totals.costUsd).toBeCloseTo(anthropic.costUsd, 12);
  });

  it('groups by key, client format and route, and buckets by minute', () => {
    const usage = seeded();
    const byKey = usage.summary({ from: base, to: base + 2 * hour, bucket: 'day', groupBy: 'key' });
    expect(byKey.buckets.map((bucket) => [bucket.group, bucket.totals.requests])).toEqual([['anthropic/key:fake-key-1', 2], ['anthropic/key:fake-key-2', 1], ['openai/key:fake-key-1', 1]]);
    const byRoute = usage.summary({ from: base, to: base + 2 * hour, bucket: 'day', groupBy: 'route' });
    expect(byRoute.buckets.map((bucket) => bucket.group)).toEqual(['', 'combo:work']);
    const byFormat = usage.summary({ from: base, to: base + 2 * hour, bucket: 'minute', groupBy: 'clientFormat' });
    expect(byFormat.buckets).toHaveLength(4);
    expect(() => usage.summary({ from: base, to: base, bucket: 'hour' })).toThrow(/from before to/);
  });

  it('past the raw rows the summary comes from the rollups, which outlive retention', () => {
    const now = base + 200 * 24 * hour;
    const usage = ledger(now);
    usage.record(usageEvent({ startedAt: base, durationMs: 400 }));
    usage.record(usageEvent({ startedAt: now - minute, durationMs: 500 }));
    usage.maintain();
    // The old raw row is gone (90 days by default)...
    expect(usage.recent().requests.map((row) => row.startedAt)).toEqual([now - minute]);
    // ...but a range that reaches back to it is answered from the rollups, with its totals and no percentiles.
    const summary = usage.summary({ from: base - hour, to: now, bucket: 'day' });
    expect(summary.source).toBe('rollup');
    expect(summary.totals).toMatchObject({ requests: 2, latencyAvgMs: 450, latencyP50Ms: null });
    expect(summary.buckets.map((bucket) => bucket.totals.requests)).toEqual([1, 1]);
    expect(() => usage.summary({ from: base - hour, to: now, bucket: 'minute' })).toThrow(/minute buckets/);
    // A recent range is still answered from raw rows.
    expect(usage.summary({ from: now - hour, to: now, bucket: 'minute' }).source).toBe('raw');
  });

  it('recent requests: newest first, paged, filtered, never more than asked', () => {
    const usage = seeded();
    const first = usage.recent({ limit: 2 });
    usageRequestPageSchema.parse(first);
    expect(first.requests.map((row) => row.startedAt)).toEqual([base + hour, base + 2 * minute]);
    const second = usage.recent({ limit: 2, before: first.nextBefore! });
    expect(second.requests.map((row) => row.startedAt)).toEqual([base + minute, base]);
    expect(second.nextBefore).toBeNull();
    expect(usage.recent({ provider: 'openai' }).requests).toHaveLength(1);
    expect(usage.recent({ outcome: 'error' }).requests[0]).toMatchObject({ errorCode: 'rate_limited', status: 429, stream: true, estimated: false });
    expect(usage.recent({ keyId: 'fake-key-2', from: base, to: base + hour }).requests).toHaveLength(1);
    expect(usage.recent({ limit: 100_000 }).requests).toHaveLength(4);
  });
});

describe('usage export', () => {
  it('writes exactly the promised fields as JSON Lines and as CSV', async () => {
    const usage = seeded();
    usage.record(usageEvent({ startedAt: base + 3 * minute, requestedModel: '=HYPERLINK("x")', keyId: null, accountId: 'fake-account', billing: 'subscription' }));
    const jsonl = await collect(usage, 'jsonl');
    const lines = jsonl.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(Object.keys(line)).toEqual([...exportFields]);
    expect(lines[0]).toMatchObject({ time: new Date(base).toISOString(), durationMs: 100, key: 'fake-key-1', route: null, outcome: 'ok', stream: true, inputTokens: 300, estimated: false });
    expect(lines[2]).toMatchObject({ outcome: 'error:rate_limited', status: 429 });
    expect(lines[3]).toMatchObject({ key: 'account:fake-account', costUsd: 'included' });
    expect(lines[4]).toMatchObject({ route: 'combo:work', costUsd: null });
    const csv = (await collect(usage, 'csv')).split('\r\n');
    expect(csv[0]).toBe(exportFields.join(','));
    expect(csv).toHaveLength(7); // header, five rows, and the empty string after the last line break
    expect(csv[4]).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it('waits for a slow destination (backpressure) and stops when it closes', async () => {
    const usage = seeded();
    let writes = 0;
    const slow = new Writable({
      highWaterMark: 1,
      write(_chunk, _encoding, done) {
        writes++;
        setImmediate(done);
      },
    });
    expect(await usage.exportTo({ from: base, to: base + 2 * hour, format: 'csv' }, slow)).toBe(4);
    expect(writes).toBeGreaterThan(0);
    await expect(usage.exportTo({ from: base, to: base, format: 'csv' }, new PassThrough())).rejects.toThrow(/from before to/);
    await expect(usage.exportTo({ from: base, to: base + 1, format: 'xml' as 'csv' }, new PassThrough())).rejects.toThrow(/jsonl or csv/);
    const closed = new PassThrough();
    closed.destroy();
    await expect(usage.exportTo({ from: base, to: base + 2 * hour, format: 'csv' }, closed)).rejects.toThrow(/cancelled/);
  });
});

describe('per-key and account usage', () => {
  it('totals per provider and key, busiest first, with the last use', () => {
    const usage = seeded();
    usage.record(usageEvent({ startedAt: base + 5 * minute, keyId: null, accountId: 'fake-account', billing: 'subscription' }));
    const credentials = usage.credentials(base, base + 2 * hour);
    credentials.forEach((entry) => credentialUsageViewSchema.parse(entry));
    expect(credentials.map((entry) => [entry.provider, entry.keyId, entry.accountId, entry.totals.requests])).toEqual([
      ['anthropic', 'fake-key-1', null, 2],
      ['anthropic', null, 'fake-account', 1],
      ['anthropic', 'fake-key-2', null, 1],
      ['openai', 'fake-key-1', null, 1],
    ]);
    expect(credentials[0]!.lastUsedAt).toBe(base + 2 * minute);
    expect(credentials[1]!.totals).toMatchObject({ includedRequests: 1, costUsd: 0 });
  });

  it('with recording off, the status says so and nothing is written', () => {
    const usage = ledger(base, { enabled: false });
    usage.record(usageEvent());
    expect(usage.status()).toMatchObject({ health: 'disabled', recorded: 0 });
    expect(usage.recent().requests).toEqual([]);
    expect(() => usage.summary({ from: base, to: base + hour, bucket: 'hour' })).toThrow(/usage recording is off/);
  });
});

async function collect(usage: UsageLedger, format: 'jsonl' | 'csv'): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await usage.exportTo({ from: base, to: base + 2 * hour, format }, out);
  return Buffer.concat(chunks).toString('utf8');
}
