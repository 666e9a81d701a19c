import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createExecutionGuard } from '../../../main/core/guard/execution-guard.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';
import type { GuardProvider } from '../../../main/core/guard/guard-contract.ts';
import type { RunningRedis } from '../../helpers/redis-server.ts';
import { startRedis } from '../../helpers/redis-server.ts';
import type { SharedGuard } from './shared-guards.ts';
import { mostInAnyWindow, request, runClockUntil, startSharedGuards } from './shared-guards.ts';

// Several guards in one process share one real Redis and one manual clock: the windows hold across them.

let redis: RunningRedis;
let guards: SharedGuard[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  for (const { store } of guards.splice(0)) await store.close();
});

function provider(keyCount: number, settings: Record<string, unknown>): GuardProvider {
  return {
    id: 'p',
    keys: Array.from({ length: keyCount }, (_, index) => ({ id: `k${index}`, secret: `fake-test-key-not-real-${index}`, enabled: true })),
    settings: { queue: { maxLength: 200, maxWaitMs: 600_000 }, ...settings },
  };
}

/** Sends `count` requests round-robin over the guards, each answered at once; the times each key was used. */
async function sendRoundRobin(clock: ManualClock, count: number): Promise<Map<string, number[]>> {
  const arrivals = new Map<string, number[]>();
  let settled = 0;
  const results = Array.from({ length: count }, (_, index) =>
    guards[index % guards.length]!.guard.run(request('p'), (lease) => {
      arrivals.set(lease.keyId, [...(arrivals.get(lease.keyId) ?? []), clock.now()]);
      return Promise.resolve({ value: index });
    }).finally(() => (settled += 1)),
  );
  await runClockUntil(clock, guards, () => settled === count);
  await Promise.all(results);
  return arrivals;
}

describe('shared rate windows across instances', () => {
  it('3 instances, one key at 10 per minute, 60 requests round-robin: never more than 10 in any rolling minute', async () => {
    const clock = new ManualClock();
    guards = await startSharedGuards(3, { url: redis.url, clock, providers: [provider(1, { limits: { perMinute: 10 } })] });
    const arrivals: number[] = [];
    let settled = 0;
    const results = Array.from({ length: 60 }, (_, index) =>
      guards[index % 3]!.guard.run(request('p'), () => {
        arrivals.push(clock.now());
        return Promise.resolve({ value: index });
      }).finally(() => (settled += 1)),
    );
    await runClockUntil(clock, guards, () => settled === 60);
    expect(await Promise.all(results)).toHaveLength(60);
    expect(mostInAnyWindow(arrivals, 60_000)).toBe(10);
    // Not throttled harder than needed: six windows of 10 (each counted one second longer, as the local guard does).
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeLessThanOrEqual(5 * 61_000);
  });

  it('without a shared store the same three instances let 30 through in one minute (what the shared state prevents)', async () => {
    const clock = new ManualClock();
    const alone = [0, 1, 2].map(() => createExecutionGuard({ clock, random: () => 0.5 }));
    for (const guard of alone) guard.configure([provider(1, { limits: { perMinute: 10 } })]);
    const arrivals: number[] = [];
    const results = Array.from({ length: 60 }, (_, index) =>
      alone[index % 3]!.run(request('p'), () => {
        arrivals.push(clock.now());
        return Promise.resolve({ value: index });
      }),
    );
    await clock.advance(6 * 61_000);
    await Promise.all(results);
    expect(mostInAnyWindow(arrivals, 60_000)).toBe(30);
  });

  it('4 keys at 10 per minute each: about 40 per minute in total, each key within its own window', async () => {
    const clock = new ManualClock();
    guards = await startSharedGuards(3, { url: redis.url, clock, providers: [provider(4, { limits: { perMinute: 10 } })] });
    const arrivals = await sendRoundRobin(clock, 120);
    expect([...arrivals.keys()].sort()).toEqual(['k0', 'k1', 'k2', 'k3']);
    for (const times of arrivals.values()) expect(mostInAnyWindow(times, 60_000)).toBeLessThanOrEqual(10);
    const all = [...arrivals.values()].flat();
    expect(mostInAnyWindow(all, 60_000)).toBe(40);
  });

  it('tokens per minute hold across instances, and an oversized request waits for an empty window', async () => {
    const clock = new ManualClock();
    guards = await startSharedGuards(3, { url: redis.url, clock, providers: [provider(1, { limits: { tokensPerMinute: 1_000 } })] });
    const sent: Array<{ at: number; tokens: number }> = [];
    let settled = 0;
    const sizes = [300, 300, 300, 300, 300, 300, 1_500, 100, 100];
    const results = sizes.map((tokens, index) =>
      guards[index % 3]!.guard.run(request('p', { estimatedInputTokens: () => tokens }), () => {
        sent.push({ at: clock.now(), tokens });
        return Promise.resolve({ value: index });
      }).finally(() => (settled += 1)),
    );
    await runClockUntil(clock, guards, () => settled === sizes.length);
    await Promise.all(results);
    expect(sent).toHaveLength(sizes.length);
    for (const { at } of sent) {
      const inWindow = sent.filter((other) => other.at <= at && other.at > at - 60_000);
      const total = inWindow.reduce((sum, other) => sum + other.tokens, 0);
      // Within the limit, except the oversized request, which went alone into an empty window.
      if (inWindow.some((other) => other.tokens > 1_000)) expect(inWindow).toHaveLength(1);
      else expect(total).toBeLessThanOrEqual(1_000);
    }
  });

  it('pacing (minDelayMs) and provider-wide limits hold across instances', async () => {
    const clock = new ManualClock();
    guards = await startSharedGuards(3, { url: redis.url, clock, providers: [provider(2, { limits: { minDelayMs: 2_000 }, providerLimits: { perMinute: 5 } })] });
    const arrivals = await sendRoundRobin(clock, 12);
    for (const times of arrivals.values()) {
      const sorted = [...times].sort((a, b) => a - b);
      for (let index = 1; index < sorted.length; index += 1) expect(sorted[index]! - sorted[index - 1]!).toBeGreaterThanOrEqual(2_000);
    }
    expect(mostInAnyWindow([...arrivals.values()].flat(), 60_000)).toBe(5);
  });
});
