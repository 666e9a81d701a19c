import { describe, expect, it } from 'vitest';
import type { ProxyError } from '../errors/proxy-error.ts';
import type { GuardKey } from './guard-contract.ts';
import type { GuardEvent } from './guard-events.ts';
import { GuardEventHub } from './guard-events.ts';
import { ManualClock, settle } from '../../../test/helpers/manual-clock.ts';
import { ProviderRuntime } from './provider-runtime.ts';
import type { Admission, AdmissionRequest } from './send-queue.ts';
import { localStateStore } from './shared-state/guard-state-store.ts';

function setup(settings: Record<string, unknown>, keyCount = 1) {
  const clock = new ManualClock(0);
  const events = new GuardEventHub();
  const seen: GuardEvent[] = [];
  events.subscribe((event) => seen.push(event));
  const keys: GuardKey[] = Array.from({ length: keyCount }, (_, index) => ({ id: `k${index}`, secret: `sk-test-000000${index}`, enabled: true }));
  const provider = new ProviderRuntime({ id: 'p', keys, settings }, { clock, random: () => 0.5, events, sharedState: localStateStore });
  return { clock, provider, seen };
}

function demand(clock: ManualClock, overrides: Partial<AdmissionRequest> = {}): AdmissionRequest {
  return { model: 'm', tokens: () => 0, avoid: new Set(), deadline: clock.now() + 60_000, priority: false, signal: new AbortController().signal, ...overrides };
}

/**
 * Records when each acquire settles, in the manual clock's time. An admitted send goes out on the wire at once
 * (what the guard reports through the lease), unless `leavesLater` keeps it connecting.
 */
function track(clock: ManualClock, promise: Promise<Admission>, provider?: ProviderRuntime, leavesLater = false) {
  const record: { at?: number; admission?: Admission; error?: ProxyError } = {};
  promise.then(
    (admission) => {
      Object.assign(record, { at: clock.now(), admission });
      if (provider && !leavesLater) provider.requestWentOut(admission, clock.now(), true);
    },
    (error: ProxyError) => Object.assign(record, { at: clock.now(), error }),
  );
  return record;
}

describe('SendQueue', () => {
  it('admits in FIFO order with minDelayMs between sends', async () => {
    const { clock, provider } = setup({ limits: { minDelayMs: 250 } });
    const records = Array.from({ length: 5 }, () => track(clock, provider.queue.acquire(demand(clock)), provider));
    await settle();
    expect(records.map((record) => record.at)).toEqual([0, undefined, undefined, undefined, undefined]);
    await clock.advance(2000);
    expect(records.map((record) => record.at)).toEqual([0, 250, 500, 750, 1000]);
    for (const record of records) provider.queue.release(record.admission!);
  });

  it('times minDelayMs from the moment a send went out on the wire, and holds the next one while it connects', async () => {
    const { clock, provider } = setup({ limits: { minDelayMs: 250 } });
    const first = track(clock, provider.queue.acquire(demand(clock)), provider, true);
    const second = track(clock, provider.queue.acquire(demand(clock)), provider, true);
    await settle();
    expect(first.at).toBe(0);
    // The first send takes 300 ms to connect (longer than the interval): the second is not let through meanwhile.
    await clock.advance(300);
    expect(second.at).toBeUndefined();
    provider.requestWentOut(first.admission!, clock.now(), true);
    await clock.advance(249);
    expect(second.at).toBeUndefined();
    await clock.advance(1);
    expect(second.at).toBe(550);
    provider.requestWentOut(second.admission!, clock.now(), true);
    for (const record of [first, second]) provider.queue.release(record.admission!);
  });

  it('a send that failed before going out (connect refused) no longer holds the next one back', async () => {
    const { clock, provider } = setup({ limits: { minDelayMs: 250 }, providerLimits: { minDelayMs: 100 } });
    const first = track(clock, provider.queue.acquire(demand(clock)), provider, true);
    const second = track(clock, provider.queue.acquire(demand(clock)), provider, true);
    await settle();
    await clock.advance(20);
    // The attempt ended without a report: the guard settles it at the end (lease.end()), spaced from then.
    provider.requestWentOut(first.admission!, clock.now(), true);
    provider.queue.release(first.admission!);
    await clock.advance(249);
    expect(second.at).toBeUndefined();
    await clock.advance(1);
    expect(second.at).toBe(270);
    provider.requestWentOut(second.admission!, clock.now(), true);
    provider.queue.release(second.admission!);
    expect(provider.inFlight).toBe(0);
  });

  it('holds requests at maxConcurrent and admits the next one when a send finishes', async () => {
    const { clock, provider } = setup({ limits: { maxConcurrent: 2 } });
    const records = Array.from({ length: 3 }, () => track(clock, provider.queue.acquire(demand(clock)), provider));
    await settle();
    expect(records.map((record) => record.at !== undefined)).toEqual([true, true, false]);
    expect(provider.queue.depth).toBe(1);
    await clock.advance(5000);
    provider.queue.release(records[0]!.admission!);
    await settle();
    expect(records[2]!.at).toBe(5000);
  });

  it('caps the provider as a whole with providerLimits across keys', async () => {
    const { clock, provider } = setup({ providerLimits: { maxConcurrent: 1 } }, 3);
    const records = Array.from({ length: 2 }, () => track(clock, provider.queue.acquire(demand(clock)), provider));
    await settle();
    expect(records.map((record) => record.at !== undefined)).toEqual([true, false]);
  });

  it('refuses with a 429 queue_full (and an event) when maxLength requests already wait', async () => {
    const { clock, provider, seen } = setup({ limits: { maxConcurrent: 1 }, queue: { maxLength: 1 } });
    track(clock, provider.queue.acquire(demand(clock)), provider);
    track(clock, provider.queue.acquire(demand(clock)), provider);
    const refused = track(clock, provider.queue.acquire(demand(clock)), provider);
    await settle();
    expect(refused.error).toMatchObject({ code: 'queue_full', status: 429, scope: 'local' });
    expect(refused.error!.retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect(seen).toContainEqual(expect.objectContaining({ type: 'queue-full', providerId: 'p', maxLength: 1 }));
  });

  it('refuses with a 429 and retry-after when the wait exceeds the deadline', async () => {
    const { clock, provider } = setup({ limits: { maxConcurrent: 1 } });
    track(clock, provider.queue.acquire(demand(clock)), provider);
    const waiting = track(clock, provider.queue.acquire(demand(clock, { deadline: 3000 })), provider);
    await clock.advance(2999);
    expect(waiting.at).toBeUndefined();
    await clock.advance(1);
    expect(waiting.at).toBe(3000);
    expect(waiting.error).toMatchObject({ code: 'rate_limited', status: 429, scope: 'local' });
    expect(waiting.error!.retryAfterMs).toBeGreaterThan(0);
  });

  it('removes a waiter whose client disconnects, and the next one moves up', async () => {
    const { clock, provider } = setup({ limits: { maxConcurrent: 1 } });
    const first = track(clock, provider.queue.acquire(demand(clock)), provider);
    const controller = new AbortController();
    const leaving = track(clock, provider.queue.acquire(demand(clock, { signal: controller.signal })), provider);
    const third = track(clock, provider.queue.acquire(demand(clock)), provider);
    await settle();
    controller.abort();
    await settle();
    expect(leaving.error).toMatchObject({ code: 'client_aborted', scope: 'client' });
    expect(provider.queue.depth).toBe(1);
    provider.queue.release(first.admission!);
    await settle();
    expect(third.at).toBe(0);
  });

  it('puts retries ahead of first attempts and lets them past a full queue', async () => {
    const { clock, provider } = setup({ limits: { maxConcurrent: 1 }, queue: { maxLength: 1 } });
    const running = track(clock, provider.queue.acquire(demand(clock)), provider);
    const waiting = track(clock, provider.queue.acquire(demand(clock)), provider);
    const retry = track(clock, provider.queue.acquire(demand(clock, { priority: true })), provider);
    await settle();
    expect(retry.error).toBeUndefined();
    provider.queue.release(running.admission!);
    await settle();
    expect(retry.at).toBe(0);
    expect(waiting.at).toBeUndefined();
  });

  it('spreads over keys and enforces each key\'s per-minute window', async () => {
    const { clock, provider } = setup({ limits: { perMinute: 2 } }, 2);
    const records = Array.from({ length: 6 }, () => track(clock, provider.queue.acquire(demand(clock, { deadline: 600_000 })), provider));
    await settle();
    for (const record of records) if (record.admission) provider.queue.release(record.admission);
    expect(records.filter((record) => record.at === 0)).toHaveLength(4);
    await clock.advance(61_000);
    expect(records.filter((record) => record.at === 61_000)).toHaveLength(2);
    const perKey = new Map<string, number>();
    for (const record of records) perKey.set(record.admission!.key.id, (perKey.get(record.admission!.key.id) ?? 0) + 1);
    expect(perKey).toEqual(new Map([['k0', 3], ['k1', 3]]));
  });

  it('refuses at once with no_available_key when no key can serve before the deadline', async () => {
    const { clock, provider } = setup({}, 2);
    provider.keys[0]!.disabledReason = '401 auth_failed';
    provider.keys[1]!.coolingUntil = 120_000;
    const refused = track(clock, provider.queue.acquire(demand(clock, { deadline: 30_000 })), provider);
    await settle();
    expect(refused.error).toMatchObject({ code: 'no_available_key', status: 503, scope: 'local', retryAfterMs: 120_000 });
    expect(refused.error!.message).toContain('k0: disabled');
  });

  it('waits for a cooling key when it comes back before the deadline', async () => {
    const { clock, provider } = setup({}, 1);
    provider.keys[0]!.coolingUntil = 2000;
    const waiting = track(clock, provider.queue.acquire(demand(clock)), provider);
    await clock.advance(5000);
    expect(waiting.at).toBe(2000);
  });

  it('keeps exhaustion per model', async () => {
    const { clock, provider } = setup({}, 1);
    provider.keys[0]!.exhausted.set('pro', { until: 3_600_000, reason: 'per day' });
    const pro = track(clock, provider.queue.acquire(demand(clock, { model: 'pro' })), provider);
    const flash = track(clock, provider.queue.acquire(demand(clock, { model: 'flash' })), provider);
    await settle();
    expect(pro.error).toMatchObject({ code: 'no_available_key' });
    expect(flash.admission?.key.id).toBe('k0');
  });
});
