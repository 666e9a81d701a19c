import { describe, expect, it } from 'vitest';
import type { ProxyErrorInit } from '../errors/proxy-error.ts';
import { ProxyError } from '../errors/proxy-error.ts';
import { createExecutionGuard } from './execution-guard.ts';
import type { AttemptSuccess, GuardKey, GuardRequest, KeyLease } from './guard-contract.ts';
import type { GuardEvent } from './guard-events.ts';
import { ManualClock, settle } from '../../../test/helpers/manual-clock.ts';

const secrets = ['sk-live-aaaaaaaaaaaa1111', 'sk-live-bbbbbbbbbbbb2222', 'sk-live-cccccccccccc3333'];

function setup(settings: Record<string, unknown> = {}, keyCount = 2, keyOverrides: Partial<GuardKey>[] = []) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const events: GuardEvent[] = [];
  const guard = createExecutionGuard({ clock, random: () => 0.5, events: (event) => events.push(event) });
  const keys = Array.from({ length: keyCount }, (_, index) => ({ id: `k${index}`, secret: secrets[index]!, enabled: true, ...keyOverrides[index] }));
  guard.configure([{ id: 'p', keys, settings }]);
  return { clock, guard, events };
}

function request(overrides: Partial<GuardRequest> = {}): GuardRequest {
  return { providerId: 'p', model: 'm', stream: false, estimatedInputTokens: () => 10, signal: new AbortController().signal, ...overrides };
}

function upstreamError(init: Partial<ProxyErrorInit>): ProxyError {
  return new ProxyError({ code: 'upstream_error', status: 500, message: 'upstream failed', scope: 'provider', retryable: true, provider: 'p', ...init });
}

const rateLimited = (retryAfterMs?: number) => upstreamError({ code: 'rate_limited', status: 429, scope: 'key', retryAfterMs });

/** An attempt that answers from a script per call and records the leases it was given. */
function scripted(script: Array<ProxyError | AttemptSuccess<string> | ((lease: KeyLease) => Promise<AttemptSuccess<string>>)>) {
  const leases: KeyLease[] = [];
  const attempt = async (lease: KeyLease): Promise<AttemptSuccess<string>> => {
    leases.push(lease);
    const step = script[Math.min(leases.length - 1, script.length - 1)]!;
    if (step instanceof ProxyError) throw step;
    if (typeof step === 'function') return step(lease);
    return step;
  };
  return { attempt, leases };
}

const ok = (value = 'ok', extra: Partial<AttemptSuccess<string>> = {}): AttemptSuccess<string> => ({ value, ...extra });

async function outcome<T>(promise: Promise<T>): Promise<{ value?: T; error?: ProxyError }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error: error as ProxyError };
  }
}

describe('ExecutionGuard', () => {
  it('measures latency to the answer headers, not to the end of a long body', async () => {
    const { guard, clock } = setup({}, 1);
    const slowBody = async (lease: KeyLease): Promise<AttemptSuccess<string>> => {
      await clock.advance(120);
      lease.headersArrived();
      await clock.advance(5_000); // reading a large non-streaming body
      return ok('body');
    };
    expect(await guard.run(request(), slowBody)).toBe('body');
    const provider = guard.snapshot().providers.find((entry) => entry.id === 'p')!;
    expect(provider.latencyP50Ms).toBe(120);
    expect(provider.keys[0]!.latencyP50Ms).toBe(120);
  });

  it('falls back to the whole attempt when headers were not reported', async () => {
    const { guard, clock } = setup({}, 1);
    const attempt = async (): Promise<AttemptSuccess<string>> => {
      await clock.advance(300);
      return ok('x');
    };
    await guard.run(request(), attempt);
    expect(guard.snapshot().providers.find((entry) => entry.id === 'p')!.latencyP50Ms).toBe(300);
  });

  it('runs the attempt with a leased key and returns its value', async () => {
    const { guard } = setup();
    const { attempt, leases } = scripted([ok('hello')]);
    expect(await guard.run(request(), attempt)).toBe('hello');
    expect(leases).toEqual([expect.objectContaining({ providerId: 'p', keyId: 'k0', secret: secrets[0], attempt: 1 })]);
  });

  it('uses only the keys a combo entry allows, and refuses when all of those are out', async () => {
    const { guard } = setup({}, 3);
    const { attempt, leases } = scripted([ok('a'), ok('b'), rateLimited(60_000), rateLimited(60_000)]);
    expect(await guard.run(request({ keyIds: ['k2'] }), attempt)).toBe('a');
    expect(await guard.run(request({ keyIds: ['k2'] }), attempt)).toBe('b');
    expect(leases.map((lease) => lease.keyId)).toEqual(['k2', 'k2']);
    // k2 rate-limited with a long hint: k0 and k1 are free, but this entry may not use them.
    const failed = await outcome(guard.run(request({ keyIds: ['k2'] }), attempt));
    expect(failed.error?.status).toBe(429);
    expect(leases.slice(2).map((lease) => lease.keyId)).toEqual(['k2']);
    expect((await outcome(guard.run(request({ keyIds: ['nope'] }), attempt))).error?.message).toMatch(/none of the keys nope exists/);
  });

  it('on a 429 with a hint: cools that key for the hint and retries at once on another key', async () => {
    const { guard, clock, events } = setup();
    const { attempt, leases } = scripted([rateLimited(2000), ok('second key')]);
    expect(await guard.run(request(), attempt)).toBe('second key');
    expect(leases.map((lease) => [lease.keyId, lease.attempt])).toEqual([['k0', 1], ['k1', 2]]);
    const key = guard.snapshot().providers[0]!.keys[0]!;
    expect(key).toMatchObject({ state: 'cooling', coolingUntil: clock.now() + 2000, rateLimited: 1 });
    expect(events).toContainEqual(expect.objectContaining({ type: 'key-cooling', keyId: 'k0', until: clock.now() + 2000 }));
  });

  it('with one key: waits out a hint below maxRetryAfterMs, then retries the same key', async () => {
    const { guard, clock } = setup({}, 1);
    const start = clock.now();
    const { attempt, leases } = scripted([rateLimited(2500), async () => ok(`at ${clock.now() - start}`)]);
    const result = outcome(guard.run(request(), attempt));
    await clock.advance(3000);
    expect((await result).value).toBe('at 2500');
    expect(leases.map((lease) => lease.keyId)).toEqual(['k0', 'k0']);
  });

  it('fails over at once when the hint is longer than maxRetryAfterMs and no other key is free', async () => {
    const { guard } = setup({ retry: { maxRetryAfterMs: 10_000 } }, 1);
    const { attempt, leases } = scripted([rateLimited(60_000), ok()]);
    const result = await outcome(guard.run(request(), attempt));
    expect(result.error).toMatchObject({ code: 'rate_limited', status: 429, scope: 'key', retryAfterMs: 60_000 });
    expect(leases).toHaveLength(1);
  });

  it('marks a key exhausted for the model until the quota resets instead of retrying it', async () => {
    const { guard, clock, events } = setup();
    const resetAt = clock.now() + 8 * 3_600_000;
    const { attempt, leases } = scripted([upstreamError({ code: 'quota_exhausted', status: 429, scope: 'key', resetAt }), ok('k1 answers')]);
    expect(await guard.run(request({ model: 'pro' }), attempt)).toBe('k1 answers');
    expect(leases.map((lease) => lease.keyId)).toEqual(['k0', 'k1']);
    expect(events).toContainEqual(expect.objectContaining({ type: 'key-exhausted', keyId: 'k0', model: 'pro', until: resetAt }));
    const later = scripted([ok()]);
    for (let index = 0; index < 3; index += 1) await guard.run(request({ model: 'pro' }), later.attempt);
    expect(later.leases.map((lease) => lease.keyId)).toEqual(['k1', 'k1', 'k1']);
    const other = scripted([ok()]);
    await guard.run(request({ model: 'flash' }), other.attempt);
    await guard.run(request({ model: 'flash' }), other.attempt);
    expect(other.leases.map((lease) => lease.keyId)).toContain('k0');
    expect(guard.snapshot().providers[0]!.keys[0]).toMatchObject({ state: 'exhausted', exhaustedUntil: resetAt });
  });

  it('disables a key on 401/403 with its reason until it is reset; the others serve', async () => {
    const { guard, events } = setup();
    const { attempt } = scripted([upstreamError({ code: 'auth_failed', status: 401, scope: 'key', message: 'invalid x-api-key' }), ok()]);
    await guard.run(request(), attempt);
    const later = scripted([ok()]);
    for (let index = 0; index < 4; index += 1) await guard.run(request(), later.attempt);
    expect(later.leases.every((lease) => lease.keyId === 'k1')).toBe(true);
    const key = guard.snapshot().providers[0]!.keys[0]!;
    expect(key.state).toBe('disabled');
    expect(key.disabledReason).toContain('401 auth_failed: invalid x-api-key');
    expect(events).toContainEqual(expect.objectContaining({ type: 'key-disabled', keyId: 'k0' }));
    expect(guard.resetKey('p', 'k0')).toBe(true);
    expect(guard.snapshot().providers[0]!.keys[0]!.state).toBe('active');
  });

  it('returns a 400 as is: one attempt, no cooldown, no breaker count, no error against the key', async () => {
    const { guard } = setup({ breaker: { failureThreshold: 1 } });
    const badRequest = upstreamError({ code: 'invalid_request', status: 400, scope: 'request', retryable: false });
    const { attempt, leases } = scripted([badRequest]);
    const result = await outcome(guard.run(request(), attempt));
    expect(result.error).toBe(badRequest);
    expect(leases).toHaveLength(1);
    const provider = guard.snapshot().providers[0]!;
    expect(provider.breaker.state).toBe('closed');
    expect(provider.keys[0]).toMatchObject({ state: 'active', errors: 0 });
  });

  it('opens the breaker after a burst of 5xx, fails fast, probes after the cooldown and closes on success', async () => {
    const { guard, clock, events } = setup({ breaker: { failureThreshold: 3, cooldownMs: 10_000 }, retry: { maxAttempts: 1 } });
    const failing = scripted([upstreamError({ status: 502 })]);
    for (let index = 0; index < 3; index += 1) await outcome(guard.run(request(), failing.attempt));
    expect(guard.snapshot().providers[0]!.breaker.state).toBe('open');
    const fast = await outcome(guard.run(request(), failing.attempt));
    expect(fast.error).toMatchObject({ code: 'circuit_open', status: 503, scope: 'local', retryAfterMs: 10_000 });
    expect(failing.leases).toHaveLength(3);
    await clock.advance(10_000);
    const probe = scripted([ok('probe')]);
    expect(await guard.run(request(), probe.attempt)).toBe('probe');
    expect(guard.snapshot().providers[0]!.breaker.state).toBe('closed');
    expect(events.filter((event) => event.type.startsWith('breaker') && !('keyId' in event && event.keyId !== undefined)).map((event) => event.type)).toEqual([
      'breaker-opened',
      'breaker-half-open',
      'breaker-closed',
    ]);
  });

  it('retries provider failures with backoff within the attempt budget', async () => {
    const { guard, clock } = setup({ retry: { maxAttempts: 3, baseDelayMs: 1000 } });
    const start = clock.now();
    const times: number[] = [];
    const { attempt, leases } = scripted([
      async () => {
        times.push(clock.now() - start);
        throw upstreamError({ status: 503 });
      },
    ]);
    const result = outcome(guard.run(request(), attempt));
    await clock.advance(10_000);
    expect((await result).error).toMatchObject({ status: 503 });
    expect(leases).toHaveLength(3);
    // Equal jitter with random 0.5: 3/4 of 1000, then of 2000.
    expect(times).toEqual([0, 750, 750 + 1500]);
    expect(leases.map((lease) => lease.keyId)).toEqual(['k0', 'k1', 'k0']);
  });

  it('treats a client disconnect as no failure: aborts, counts nothing, retries nothing', async () => {
    const { guard } = setup({ breaker: { failureThreshold: 1 } });
    const controller = new AbortController();
    const { attempt, leases } = scripted([
      (lease) =>
        new Promise((_, reject) => {
          lease.signal.addEventListener('abort', () => reject(new Error('socket closed')));
        }),
    ]);
    const result = outcome(guard.run(request({ signal: controller.signal }), attempt));
    await settle();
    controller.abort();
    expect((await result).error).toMatchObject({ code: 'client_aborted', scope: 'client' });
    expect(leases).toHaveLength(1);
    const provider = guard.snapshot().providers[0]!;
    expect(provider.errors).toBe(0);
    expect(provider.breaker.state).toBe('closed');
    expect(provider.inFlight).toBe(0);
  });

  it('after the commit point: holds the slot until the stream ends, counts a mid-stream failure, never retries', async () => {
    const { guard } = setup({ limits: { maxConcurrent: 1 } }, 1);
    let endStream!: (error: unknown) => void;
    const finished = new Promise<void>((_, reject) => {
      endStream = reject;
    });
    const { attempt, leases } = scripted([ok('streaming', { finished })]);
    expect(await guard.run(request({ stream: true }), attempt)).toBe('streaming');
    expect(guard.snapshot().providers[0]!.inFlight).toBe(1);
    const second = scripted([ok('next')]);
    const next = outcome(guard.run(request(), second.attempt));
    await settle();
    expect(second.leases).toHaveLength(0);
    endStream(upstreamError({ status: 529, code: 'overloaded' }));
    await settle();
    expect(leases).toHaveLength(1);
    const provider = guard.snapshot().providers[0]!;
    expect(provider.errors).toBe(1);
    expect(provider.breaker.recentFailures).toBe(1);
    expect(provider.keys[0]!.breaker.recentFailures).toBe(1);
    // The waiting request got the slot when the stream ended.
    expect((await next).value).toBe('next');
  });

  it('slows a key down on the rate-limit headers before the provider would answer 429', async () => {
    const { guard, clock } = setup({}, 1);
    const start = clock.now();
    // The provider allows 2 requests per 5 s window and says so in its headers.
    const times: number[] = [];
    const { attempt } = scripted([
      async () => {
        const elapsed = clock.now() - start;
        times.push(elapsed);
        const used = times.filter((time) => Math.floor(time / 5000) === Math.floor(elapsed / 5000)).length;
        const resetIn = 5000 - (elapsed % 5000);
        return ok('x', { headers: { 'x-ratelimit-remaining-requests': String(2 - used), 'x-ratelimit-reset-requests': `${resetIn}ms` } });
      },
    ]);
    await guard.run(request(), attempt);
    const rest = [outcome(guard.run(request(), attempt)), outcome(guard.run(request(), attempt))];
    await clock.advance(6000);
    await Promise.all(rest);
    expect(times).toEqual([0, 0, 5000]);
  });

  it('shares one upstream call among identical non-streaming requests when dedup is on', async () => {
    const { guard } = setup({ dedup: { enabled: true } });
    const { attempt, leases } = scripted([ok('shared')]);
    const answers = await Promise.all(Array.from({ length: 10 }, () => guard.run(request({ dedupKey: 'body-hash' }), attempt)));
    expect(answers).toEqual(Array(10).fill('shared'));
    expect(leases).toHaveLength(1);
  });

  it('never shows a whole secret in the snapshot or the events', async () => {
    const { guard, events } = setup();
    await guard.run(request(), scripted([upstreamError({ code: 'auth_failed', status: 401, scope: 'key' }), ok()]).attempt);
    const text = JSON.stringify([guard.snapshot(), events]);
    for (const secret of secrets) expect(text).not.toContain(secret.slice(0, -4));
    expect(guard.snapshot().providers[0]!.keys[0]).toMatchObject({ id: 'k0', last4: '1111', label: 'k0 (…1111)' });
  });

  it('refuses an unknown provider and keeps key state across a reload unless the secret changes', async () => {
    const { guard } = setup();
    expect((await outcome(guard.run(request({ providerId: 'nope' }), scripted([ok()]).attempt))).error).toMatchObject({ status: 503 });
    await guard.run(request(), scripted([upstreamError({ code: 'permission_denied', status: 403, scope: 'key' }), ok()]).attempt);
    guard.configure([{ id: 'p', keys: [{ id: 'k0', secret: secrets[0]!, enabled: true }, { id: 'k1', secret: secrets[1]!, enabled: true }], settings: {} }]);
    expect(guard.snapshot().providers[0]!.keys[0]!.state).toBe('disabled');
    guard.configure([{ id: 'p', keys: [{ id: 'k0', secret: 'sk-live-new-secret-9999', enabled: true }], settings: {} }]);
    expect(guard.snapshot().providers[0]!.keys.map((key) => [key.id, key.state])).toEqual([['k0', 'active']]);
  });

  it('invents no key for a provider configured without any (the runtime config decides about keyless slots)', async () => {
    const { guard } = setup({}, 0);
    const { attempt, leases } = scripted([ok()]);
    expect((await outcome(guard.run(request(), attempt))).error).toMatchObject({ status: 503 });
    expect(leases).toEqual([]);
  });
});
