import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../helpers/manual-clock.ts';
import type { GuardedEngine } from './guarded-engine.ts';
import { askAnthropic, startGuardedEngine, waitFor } from './guarded-engine.ts';
import type { LimitedUpstream } from './limited-upstream.ts';
import { arrivalsByKey, busiestWindow, startLimitedUpstream } from './limited-upstream.ts';
import { stopEverythingStarted } from './stop-after-each.ts';

// Issue 4, item 3b: 4 keys, each limited by the provider to 10 requests per minute; 120 requests all succeed, no
// key exceeds its window at the provider, the load spreads per the strategy, and throughput is ~4x one key.
// Time is the guard's manual clock: the test advances it only when everything else is idle, so the run takes
// minutes of provider time and about a second of real time.

const minute = 60_000;
const secrets = ['fake-ant-spread-key-0000000000000001', 'fake-ant-spread-key-0000000000000002', 'fake-ant-spread-key-0000000000000003', 'fake-ant-spread-key-0000000000000004'];
let engine: GuardedEngine | undefined;
let provider: LimitedUpstream | undefined;

afterEach(stopEverythingStarted);

async function run(keyCount: number, keyStrategy: 'round-robin' | 'fill-first' | 'weighted', options: { weights?: number[]; total?: number } = {}) {
  const weights = options.weights ?? [];
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const used = secrets.slice(0, keyCount);
  provider = await startLimitedUpstream('anthropic', {
    now: () => clock.now(),
    keys: Object.fromEntries(used.map((secret, index) => [secret, `key-${index + 1}`])),
    limits: { window: { limit: 10, windowMs: minute } },
  });
  engine = await startGuardedEngine(
    {
      providers: [
        {
          id: 'claude',
          type: 'anthropic',
          baseUrl: provider.upstream.url,
          keyStrategy,
          keys: used.map((_, index) => ({ id: `key-${index + 1}`, secret: { env: `KEY_${index + 1}` }, ...(weights[index] ? { weight: weights[index] } : {}) })),
          limits: { perMinute: 10 },
          queue: { maxLength: 500, maxWaitMs: 60 * minute },
        },
      ],
    },
    { env: Object.fromEntries(used.map((secret, index) => [`KEY_${index + 1}`, secret])), clock },
  );
  const total = options.total ?? 120;
  let answered = 0;
  const answers = Array.from({ length: total }, () =>
    askAnthropic(engine!.running, 'claude/claude-sonnet-4-5').then((answer) => {
      answered += 1;
      return answer;
    }),
  );
  // Idle = every request is either answered or waiting in the guard's queue, and nothing is on the wire.
  const idle = () => {
    const snapshot = engine!.provider('claude');
    return snapshot.inFlight === 0 && provider!.upstream.active === 0 && answered + snapshot.queueDepth === total;
  };
  for (let step = 0; step < 200 && answered < total; step += 1) {
    await waitFor(idle, 'the engine is idle');
    if (answered === total) break;
    expect(await clock.runNext()).toBe(true);
  }
  const results = await Promise.all(answers);
  expect(results.map((result) => result.status)).toEqual(Array(total).fill(200));
  expect(provider.violations).toBe(0);
  const byKey = arrivalsByKey(provider.arrivals);
  for (const arrivals of byKey.values()) {
    expect(busiestWindow(arrivals.map((arrival) => arrival.at), minute)).toBeLessThanOrEqual(10);
  }
  const times = provider.arrivals.map((arrival) => arrival.at);
  // Requests per provider-minute over the run (the last window counted whole).
  const throughput = (total / (Math.max(...times) - Math.min(...times) + minute)) * minute;
  return { byKey, throughput };
}

describe('spreading load over keys within their windows', () => {
  it('4 keys x 10/min: 120 requests, all 200, no window exceeded, round-robin spread, ~4x the throughput of one key', async () => {
    const four = await run(4, 'round-robin');
    expect([...four.byKey.entries()].map(([key, arrivals]) => [key, arrivals.length]).sort()).toEqual([
      ['key-1', 30],
      ['key-2', 30],
      ['key-3', 30],
      ['key-4', 30],
    ]);
    await engine!.stop();
    await provider!.close();
    engine = undefined;
    const one = await run(1, 'round-robin');
    expect(one.byKey.get('key-1')).toHaveLength(120);
    const ratio = four.throughput / one.throughput;
    expect(ratio).toBeGreaterThan(3.5);
    expect(ratio).toBeLessThan(4.5);
    expect(four.throughput).toBeGreaterThan(38);
  });

  it('weighted: within the keys\' room, traffic follows the weights exactly', async () => {
    const { byKey } = await run(4, 'weighted', { weights: [4, 2, 1, 1], total: 16 });
    expect(['key-1', 'key-2', 'key-3', 'key-4'].map((key) => byKey.get(key)?.length ?? 0)).toEqual([8, 4, 2, 2]);
  });

  it('fill-first: the first key takes all it may, the next one only the overflow', async () => {
    const { byKey } = await run(4, 'fill-first', { total: 16 });
    expect(['key-1', 'key-2', 'key-3', 'key-4'].map((key) => byKey.get(key)?.length ?? 0)).toEqual([10, 6, 0, 0]);
  });
});
