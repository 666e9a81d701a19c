import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../helpers/manual-clock.ts';
import type { GuardedEngine } from './guarded-engine.ts';
import { askAnthropic, startGuardedEngine, waitFor } from './guarded-engine.ts';
import type { LimitedUpstream } from './limited-upstream.ts';
import { startLimitedUpstream } from './limited-upstream.ts';
import { stopEverythingStarted } from './stop-after-each.ts';

// Issue 4, item 3a: 20 concurrent requests on one key with minDelayMs 250 leave ≥ 250 ms apart, and no 429
// reaches a client. The provider enforces the spacing itself and answers 429 when it is broken.

const secret = 'fake-ant-pacing-key-000000000000aaaa';
let engine: GuardedEngine | undefined;
let provider: LimitedUpstream | undefined;

afterEach(stopEverythingStarted);

function config(url: string) {
  return { providers: [{ id: 'claude', type: 'anthropic' as const, baseUrl: url, keys: [{ id: 'only', secret: { env: 'KEY' } }], limits: { minDelayMs: 250 } }] };
}

describe('pacing between sends (minDelayMs)', () => {
  it('spaces 20 concurrent requests 250 ms apart at the upstream, on the guard clock', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    provider = await startLimitedUpstream('anthropic', { now: () => clock.now(), keys: { [secret]: 'only' }, limits: { minSpacingMs: 250 } });
    engine = await startGuardedEngine(config(provider.upstream.url), { env: { KEY: secret }, clock });
    const answers = Array.from({ length: 20 }, () => askAnthropic(engine!.running, 'claude/claude-sonnet-4-5'));
    await waitFor(() => engine!.provider('claude').queueDepth === 19 && provider!.arrivals.length === 1, 'all 20 requests reach the guard');
    for (let sent = 1; sent < 20; sent += 1) {
      await clock.advance(250);
      await waitFor(() => provider!.arrivals.length === sent + 1, `send ${sent + 1} arrives`);
    }
    const results = await Promise.all(answers);
    expect(results.map((result) => result.status)).toEqual(Array(20).fill(200));
    const times = provider.arrivals.map((arrival) => arrival.at);
    const gaps = times.slice(1).map((time, index) => time - times[index]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(250);
    expect(provider.violations).toBe(0);
    expect(engine.provider('claude').requests).toBe(20);
  });

  it('spaces them in real time too (bounded: about 5 s)', async () => {
    provider = await startLimitedUpstream('anthropic', { now: () => performance.now(), keys: { [secret]: 'only' }, limits: { minSpacingMs: 240 } });
    engine = await startGuardedEngine(config(provider.upstream.url), { env: { KEY: secret } });
    const results = await Promise.all(Array.from({ length: 20 }, () => askAnthropic(engine!.running, 'claude/claude-sonnet-4-5')));
    expect(results.map((result) => result.status)).toEqual(Array(20).fill(200));
    const times = provider.arrivals.map((arrival) => arrival.at);
    const gaps = times.slice(1).map((time, index) => time - times[index]!);
    // The guard releases sends ≥ 250 ms apart on its clock; the loopback hop after that varies by a few ms per
    // request (the first one also opens the connection), which the provider's 240 ms rule and this bound allow for.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(240);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(19 * 250 - 10);
    expect(provider.violations).toBe(0);
  });
});
