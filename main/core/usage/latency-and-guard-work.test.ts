import { afterEach, describe, expect, it } from 'vitest';
import { usageSchema } from '../../../shared/config/usage-schema.ts';
import { usageLatencyViewSchema } from '../../../shared/latency-views.ts';
import { temporaryDataDir, usageEvent } from '../../../test/helpers/usage-events.ts';
import type { UsageLedger } from './usage-ledger.ts';
import { openUsageLedger } from './usage-ledger.ts';
import { percentile } from './usage-totals.ts';

// The latency percentiles and the guard's work as the Usage screen reads them, on a real SQLite file.

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const base = Date.UTC(2026, 11, 1, 12, 0, 0);
const minute = 60_000;
const hour = 3_600_000;

function ledger(now = base + 3 * hour): UsageLedger {
  const temporary = temporaryDataDir();
  const opened = openUsageLedger({ dataDir: temporary.dir, config: usageSchema.parse({}), now: () => now, flushIntervalMs: 60_000 });
  cleanups.push(temporary.remove, () => opened.close());
  return opened;
}

/** A small deterministic generator, so the data is irregular but the test repeatable. */
function numbers(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state;
  };
}

describe('latency percentiles per bucket', () => {
  it('are the exact nearest-rank p50 and p95 of duration and time to first byte, per bucket and overall', () => {
    const usage = ledger();
    const next = numbers(7);
    const durations: number[][] = [[], [], []];
    const ttfbs: number[][] = [[], [], []];
    // Three hours with 37, 1 and 120 requests; some without a first byte (refused before any upstream answered).
    for (const [hourIndex, count] of [[0, 37], [1, 1], [2, 120]] as const) {
      for (let index = 0; index < count; index += 1) {
        const durationMs = 50 + (next() % 5_000);
        const ttfbMs = index % 9 === 4 ? null : 10 + (next() % 800);
        durations[hourIndex]!.push(durationMs);
        if (ttfbMs !== null) ttfbs[hourIndex]!.push(ttfbMs);
        usage.record(usageEvent({ startedAt: base + hourIndex * hour + (index % 59) * minute, durationMs, ttfbMs }));
      }
    }
    const view = usage.latency({ from: base, to: base + 3 * hour, bucket: 'hour' });
    usageLatencyViewSchema.parse(view);
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
    expect(view.buckets.map((bucket) => bucket.start)).toEqual([base, base + hour, base + 2 * hour]);
    view.buckets.forEach((bucket, index) => {
      const d = sorted(durations[index]!);
      const t = sorted(ttfbs[index]!);
      expect(bucket).toEqual({
        start: base + index * hour,
        requests: d.length,
        durationP50Ms: percentile(d, 0.5),
        durationP95Ms: percentile(d, 0.95),
        ttfbRequests: t.length,
        ttfbP50Ms: percentile(t, 0.5),
        ttfbP95Ms: percentile(t, 0.95),
      });
    });
    const allDurations = sorted(durations.flat());
    const allTtfbs = sorted(ttfbs.flat());
    expect(view.overall).toEqual({
      requests: 158,
      durationP50Ms: percentile(allDurations, 0.5),
      durationP95Ms: percentile(allDurations, 0.95),
      ttfbRequests: allTtfbs.length,
      ttfbP50Ms: percentile(allTtfbs, 0.5),
      ttfbP95Ms: percentile(allTtfbs, 0.95),
    });
    expect(view.rawFrom).toBe(base);
  });

  it('nearest rank on tiny buckets: one value, two values, and the 95th of twenty', () => {
    const usage = ledger();
    usage.record(usageEvent({ startedAt: base, durationMs: 700, ttfbMs: null }));
    usage.record(usageEvent({ startedAt: base + minute, durationMs: 100, ttfbMs: 10 }));
    usage.record(usageEvent({ startedAt: base + minute + 1, durationMs: 300, ttfbMs: 30 }));
    for (let index = 1; index <= 20; index += 1) usage.record(usageEvent({ startedAt: base + 2 * minute, durationMs: index * 10, ttfbMs: index }));
    const view = usage.latency({ from: base, to: base + 3 * minute, bucket: 'minute' });
    expect(view.buckets.map(({ start, requests, durationP50Ms, durationP95Ms, ttfbRequests, ttfbP50Ms, ttfbP95Ms }) => [start - base, requests, durationP50Ms, durationP95Ms, ttfbRequests, ttfbP50Ms, ttfbP95Ms])).toEqual([
      [0, 1, 700, 700, 0, null, null],
      [minute, 2, 100, 300, 2, 10, 30],
      // rank ⌈0.5·20⌉ = 10 and ⌈0.95·20⌉ = 19
      [2 * minute, 20, 100, 190, 20, 10, 19],
    ]);
  });

  it('an empty range has no buckets and null percentiles; a backwards range is refused', () => {
    const usage = ledger();
    const view = usage.latency({ from: base, to: base + hour, bucket: 'minute' });
    expect(view).toMatchObject({ buckets: [], rawFrom: null, overall: { requests: 0, durationP50Ms: null, ttfbP95Ms: null } });
    expect(() => usage.latency({ from: base, to: base, bucket: 'hour' })).toThrow(/from before to/);
  });
});

describe("the guard's work: rate limits handled versus passed to the client", () => {
  it('sums how each rate limit was handled, per bucket and in the rollups that outlive the raw rows', () => {
    const now = base + 100 * 24 * hour;
    const usage = ledger(now);
    const old = base;
    // Absorbed: one retried, one rotated then fallen back; reached the client: a 429 after a rotation.
    usage.record(usageEvent({ startedAt: old, upstreamRateLimited: 1, rateLimitsRetried: 1, attempts: 2 }));
    usage.record(usageEvent({ startedAt: old + minute, upstreamRateLimited: 2, rateLimitsRotated: 1, rateLimitsFellBack: 1, keyRotations: 1, fallbacks: 1, attempts: 3 }));
    usage.record(usageEvent({ startedAt: old + 2 * minute, outcome: 'error', errorCode: 'rate_limited', status: 429, upstreamRateLimited: 2, rateLimitsRotated: 1, keyRotations: 1, attempts: 2 }));
    usage.record(usageEvent({ startedAt: now - minute }));

    const raw = usage.summary({ from: old, to: old + hour, bucket: 'hour' });
    expect(raw.source).toBe('raw');
    expect(raw.totals).toMatchObject({ upstreamRateLimited: 5, rateLimitsRetried: 1, rateLimitsRotated: 2, rateLimitsFellBack: 1, rateLimitedReachedClient: 1 });
    expect(usage.recent({ to: old + hour }).requests.map((row) => [row.rateLimitsRetried, row.rateLimitsRotated, row.rateLimitsFellBack])).toEqual([[0, 1, 0], [0, 1, 1], [1, 0, 0]]);

    usage.maintain(); // the raw rows are past the 90-day retention now
    const rolled = usage.summary({ from: old - hour, to: now, bucket: 'day' });
    expect(rolled.source).toBe('rollup');
    expect(rolled.buckets[0]!.totals).toMatchObject({ requests: 3, upstreamRateLimited: 5, rateLimitsRetried: 1, rateLimitsRotated: 2, rateLimitsFellBack: 1, rateLimitedReachedClient: 1 });
  });
});
