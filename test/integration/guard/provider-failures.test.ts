import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../helpers/manual-clock.ts';
import type { GuardedEngine } from './guarded-engine.ts';
import { askAnthropic, startGuardedEngine, waitFor } from './guarded-engine.ts';
import { startLimitedUpstream } from './limited-upstream.ts';
import { stopEverythingStarted } from './stop-after-each.ts';

// Issue 4, items 3e and 3f: a burst of 5xx opens the provider's breaker, later requests fail fast (or go to the
// next combo target), a half-open probe runs after the cooldown and success closes it. A 400 caused by the request
// is returned as is, with no key cooldown and no breaker count.

const start = Date.UTC(2026, 0, 1);
const secrets = { primary: 'fake-ant-primary-key-00000000000000aa', backup: 'fake-ant-backup-key-000000000000000bb' };
let engine: GuardedEngine | undefined;

afterEach(stopEverythingStarted);

async function setup(settings: Record<string, unknown>) {
  const clock = new ManualClock(start);
  const primary = await startLimitedUpstream('anthropic', { now: () => clock.now(), keys: { [secrets.primary]: 'p1' } });
  const backup = await startLimitedUpstream('anthropic', { now: () => clock.now(), keys: { [secrets.backup]: 'b1' } });
  engine = await startGuardedEngine(
    {
      providers: [
        { id: 'claude', type: 'anthropic', baseUrl: primary.upstream.url, keys: [{ id: 'p1', secret: { env: 'PRIMARY' } }], ...settings },
        { id: 'backup', type: 'anthropic', baseUrl: backup.upstream.url, keys: [{ id: 'b1', secret: { env: 'BACKUP' } }] },
      ],
      combos: [{ name: 'main', targets: ['claude/claude-sonnet-4-5', 'backup/claude-sonnet-4-5'] }],
    },
    { env: { PRIMARY: secrets.primary, BACKUP: secrets.backup }, clock },
  );
  return { clock, primary, backup, engine };
}

describe('circuit breaker on a burst of 5xx', () => {
  it('opens, fails fast or falls through to the next combo target, probes after the cooldown, closes on success', async () => {
    const { clock, primary, backup, engine } = await setup({ breaker: { failureThreshold: 3, windowMs: 60_000, cooldownMs: 30_000 }, retry: { maxAttempts: 1 } });
    primary.setReply(() => ({ kind: 'error', status: 500, message: 'internal error' }));
    for (let index = 0; index < 3; index += 1) expect((await askAnthropic(engine.running, 'claude/claude-sonnet-4-5')).status).toBe(500);
    expect(engine.provider('claude').breaker).toMatchObject({ state: 'open', openUntil: start + 30_000 });
    expect(engine.events).toContainEqual(expect.objectContaining({ type: 'breaker-opened', providerId: 'claude', until: start + 30_000 }));

    // Open: a direct request fails fast without touching the provider, with a retry-after for the cooldown...
    const fast = await askAnthropic(engine.running, 'claude/claude-sonnet-4-5');
    expect(fast.status).toBe(503);
    expect(fast.headers.get('retry-after')).toBe('30');
    expect(fast.json).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    expect(fast.json?.error.message).toMatch(/circuit breaker open/);
    // ...and the combo goes straight to its next target.
    const viaCombo = await askAnthropic(engine.running, 'main');
    expect(viaCombo.status).toBe(200);
    expect(viaCombo.headers.get('x-switchyard-target')).toBe('backup/claude-sonnet-4-5');
    expect(primary.arrivals).toHaveLength(3);
    expect(backup.arrivals).toHaveLength(1);

    // After the cooldown one probe goes to the (now healthy) provider and closes the breaker.
    primary.setReply(() => ({ kind: 'text' }));
    await clock.advance(30_000);
    const probe = await askAnthropic(engine.running, 'main');
    expect(probe.status).toBe(200);
    expect(probe.headers.get('x-switchyard-target')).toBe('claude/claude-sonnet-4-5');
    expect(primary.arrivals).toHaveLength(4);
    expect(engine.provider('claude').breaker.state).toBe('closed');
    const transitions = engine.events.filter((event) => event.type.startsWith('breaker-') && event.providerId === 'claude' && !('keyId' in event && event.keyId));
    expect(transitions.map((event) => event.type)).toEqual(['breaker-opened', 'breaker-half-open', 'breaker-closed']);
  });

  it('a failed probe opens the breaker again for another cooldown', async () => {
    const { clock, primary, engine } = await setup({ breaker: { failureThreshold: 2, cooldownMs: 10_000 }, retry: { maxAttempts: 1 } });
    primary.setReply(() => ({ kind: 'error', status: 503, message: 'unavailable' }));
    await askAnthropic(engine.running, 'claude/claude-sonnet-4-5');
    await askAnthropic(engine.running, 'claude/claude-sonnet-4-5');
    await clock.advance(10_000);
    expect((await askAnthropic(engine.running, 'claude/claude-sonnet-4-5')).status).toBe(503);
    expect(primary.arrivals).toHaveLength(3);
    expect(engine.provider('claude').breaker).toMatchObject({ state: 'open', openUntil: start + 20_000 });
  });

  it('retries a 5xx after the provider\'s retry-after on the guard clock, and the client gets the answer', async () => {
    const { clock, primary, engine } = await setup({});
    primary.setReply((_request, index) => (index === 0 ? { kind: 'error', status: 529, message: 'overloaded', headers: { 'retry-after': '3' } } : { kind: 'text' }));
    const answer = askAnthropic(engine.running, 'claude/claude-sonnet-4-5');
    await waitFor(() => primary.arrivals.length === 1 && clock.pendingTimers() > 0, 'the first attempt failed and a retry is scheduled');
    await clock.advance(3_000);
    expect((await answer).status).toBe(200);
    expect(primary.arrivals.map((arrival) => arrival.at - start)).toEqual([0, 3_000]);
  });
});

describe('a 400 caused by the request', () => {
  it('is returned as is: one attempt, no cooldown, no breaker count, no fall-through', async () => {
    const { primary, backup, engine } = await setup({ breaker: { failureThreshold: 2 } });
    primary.setReply(() => ({ kind: 'error', status: 400, message: 'messages: roles must alternate', type: 'invalid_request_error' }));
    for (let index = 0; index < 5; index += 1) {
      const answer = await askAnthropic(engine.running, 'main');
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'messages: roles must alternate' } });
      expect(answer.headers.get('x-switchyard-attempts')).toBe('1');
    }
    expect(primary.arrivals).toHaveLength(5);
    expect(backup.arrivals).toHaveLength(0);
    const snapshot = engine.provider('claude');
    expect(snapshot.breaker).toEqual({ state: 'closed', recentFailures: 0 });
    expect(snapshot.keys[0]).toMatchObject({ state: 'active', errors: 0, breaker: { state: 'closed', recentFailures: 0 } });
    expect(snapshot.keys[0]!.coolingUntil).toBeUndefined();
  });
});
