import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { ProxyError } from '../../../main/core/errors/proxy-error.ts';
import { systemClock } from '../../../main/core/guard/clock.ts';
import type { GuardProvider } from '../../../main/core/guard/guard-contract.ts';
import type { RunningRedis } from '../../helpers/redis-server.ts';
import { startRedis } from '../../helpers/redis-server.ts';
import { eventually } from './serve-cluster.ts';
import type { SharedGuard } from './shared-guards.ts';
import { request, startSharedGuards } from './shared-guards.ts';

// Faults with a real Redis and the real clock: Redis lost and back, restarts with persistence, decisions that
// must reach the other instances. Heartbeats are fast (200 ms) so each case takes a second or two.

const servers: RunningRedis[] = [];
const started: SharedGuard[] = [];

afterEach(async () => {
  for (const { store } of started.splice(0)) await store.close();
  for (const server of servers.splice(0)) await server.stop();
});

const fastStore = { heartbeatMs: 200, leaseTtlMs: 1_000, commandTimeoutMs: 500 };

function twoKeys(settings: Record<string, unknown> = {}): GuardProvider {
  return {
    id: 'p',
    keys: [
      { id: 'a', secret: 'fake-test-key-not-real-a', enabled: true },
      { id: 'b', secret: 'fake-test-key-not-real-b', enabled: true },
    ],
    settings: { keyStrategy: 'fill-first', ...settings },
  };
}

async function guardsOn(server: RunningRedis, count: number, keyPrefix: string, settings: Record<string, unknown> = {}): Promise<SharedGuard[]> {
  const guards = await startSharedGuards(count, { url: server.url, clock: systemClock, providers: [twoKeys(settings)], keyPrefix, store: fastStore });
  started.push(...guards);
  return guards;
}

const unauthorized = () => new ProxyError({ code: 'auth_failed', status: 401, message: 'invalid x-api-key (fake)', scope: 'key', retryable: true, provider: 'p' });

/** Runs one request on `guard`; key `a` is refused with 401 when `rejectA`, every other send answers. */
async function send(shared: SharedGuard, rejectA = false): Promise<string> {
  return shared.guard.run(request('p'), (lease) => {
    if (rejectA && lease.keyId === 'a') return Promise.reject(unauthorized());
    return Promise.resolve({ value: lease.keyId });
  });
}

function keyState(shared: SharedGuard, keyId: string): string | undefined {
  return shared.guard.snapshot().providers[0]?.keys.find((key) => key.id === keyId)?.state;
}

describe('shared guard state under faults', () => {
  it('a key disabled on one instance is skipped by the others, and a reset anywhere brings it back everywhere', async () => {
    const server = await startRedis();
    servers.push(server);
    const [first, second] = await guardsOn(server, 2, `faults-${randomUUID()}`);
    expect(await send(first!, true)).toBe('b');
    await eventually(() => keyState(second!, 'a') === 'disabled', 3_000, 'the other instance to see key a disabled');
    expect(await send(second!)).toBe('b');
    expect(second!.guard.resetKey('p', 'a')).toBe(true);
    await eventually(() => keyState(first!, 'a') === 'active', 3_000, 'the first instance to see key a back');
    expect(await send(first!)).toBe('a');
  });

  it('a 429 cooling, an open breaker and a learned budget on one instance hold the others back at once', async () => {
    const server = await startRedis();
    servers.push(server);
    const settings = { breaker: { failureThreshold: 1, cooldownMs: 60_000 }, retry: { maxAttempts: 1 }, queue: { maxWaitMs: 500 } };
    const [first, second] = await guardsOn(server, 2, `faults-${randomUUID()}`, settings);
    // Cooling: key a answered 429 with a minute's hint on the first instance; the second skips it without waiting
    // for a read-back, because the admission script itself refuses a cooling key.
    const rateLimited = new ProxyError({ code: 'rate_limited', status: 429, message: 'slow down (fake)', scope: 'key', retryable: true, retryAfterMs: 60_000, provider: 'p' });
    await expect(first!.guard.run(request('p'), () => Promise.reject(rateLimited))).rejects.toMatchObject({ status: 429 });
    expect(await send(second!)).toBe('b');
    // A budget learned from headers on key b: nothing left for a minute, so the second instance has no key to use.
    const headers = { 'x-ratelimit-limit-requests': '100', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '60s' };
    expect(await first!.guard.run(request('p'), () => Promise.resolve({ value: 'ok', headers }))).toBe('ok');
    let attempted = false;
    await expect(second!.guard.run(request('p'), () => ((attempted = true), Promise.resolve({ value: 'no' })))).rejects.toMatchObject({ status: 503 });
    expect(attempted).toBe(false);
  });

  it('queue.maxLength 0 (never wait) still admits a send that is free to go', async () => {
    const server = await startRedis();
    servers.push(server);
    const [shared] = await guardsOn(server, 1, `faults-${randomUUID()}`, { queue: { maxLength: 0 } });
    expect(await send(shared!)).toBe('a');
  });

  it('a provider breaker opened on one instance stops the others from sending', async () => {
    const server = await startRedis();
    servers.push(server);
    const settings = { breaker: { failureThreshold: 1, cooldownMs: 60_000 }, retry: { maxAttempts: 1 }, queue: { maxWaitMs: 500 } };
    const [first, second] = await guardsOn(server, 2, `faults-${randomUUID()}`, settings);
    const failing = new ProxyError({ code: 'upstream_error', status: 502, message: 'bad gateway (fake)', scope: 'provider', retryable: true, provider: 'p' });
    await expect(first!.guard.run(request('p'), () => Promise.reject(failing))).rejects.toMatchObject({ status: 502 });
    let attempted = false;
    await expect(second!.guard.run(request('p'), () => ((attempted = true), Promise.resolve({ value: 'no' })))).rejects.toMatchObject({ status: 503 });
    expect(attempted).toBe(false);
    // Its own breaker never saw a failure: the refusal came from the shared state.
    expect(second!.guard.snapshot().providers[0]?.breaker.state).toBe('closed');
  });

  it('Redis lost mid-run: every instance keeps serving on its local guard with a warning, and rejoins when Redis is back', async () => {
    const server = await startRedis();
    servers.push(server);
    const [first, second] = await guardsOn(server, 2, `faults-${randomUUID()}`);
    await eventually(() => first!.guard.snapshot().sharedState?.instances === 2, 3_000, 'two live instances');
    await server.kill();
    expect(await send(first!)).toBe('a');
    await eventually(() => first!.store.status().mode === 'local', 3_000, 'the first instance to notice');
    const local = first!.guard.snapshot().sharedState;
    expect(local?.mode).toBe('local');
    expect(local?.warning).toMatch(/^guard state not shared: redis:\/\/127\.0\.0\.1:\d+ is unreachable/);
    expect(first!.events.some((event) => event.type === 'shared-state-changed' && event.mode === 'local')).toBe(true);
    // Decided while apart: key a is disabled on the first instance only.
    expect(await send(first!, true)).toBe('b');
    expect(keyState(second!, 'a')).toBe('active');
    await server.restart();
    await eventually(() => first!.store.shared && second!.store.shared, 8_000, 'both instances to rejoin');
    expect(first!.events.some((event) => event.type === 'shared-state-changed' && event.mode === 'shared')).toBe(true);
    // The decision made while apart was written back, so the other instance learns it.
    await eventually(() => keyState(second!, 'a') === 'disabled', 3_000, 'the second instance to learn of the disabled key');
  });

  it('a Redis too busy to answer in time: the send goes on the local guard at once, and sharing resumes by itself', async () => {
    const server = await startRedis();
    servers.push(server);
    const [shared] = await guardsOn(server, 1, `faults-${randomUUID()}`);
    const pauser = new Redis(server.url);
    try {
      // Redis holds every client's commands for 1.5 s; the connection itself stays up.
      await pauser.call('CLIENT', 'PAUSE', '1500', 'ALL');
      const started = Date.now();
      expect(await send(shared!)).toBe('a');
      expect(Date.now() - started).toBeLessThan(1_400);
      expect(shared!.store.status()).toMatchObject({ mode: 'local', warning: expect.stringMatching(/^guard state not shared: .*unreachable/) });
      await eventually(() => shared!.store.shared, 5_000, 'sharing to resume after the pause');
    } finally {
      pauser.disconnect();
    }
  });

  it('a Redis restarted without persistence learns the disabled keys again from the instances', async () => {
    const server = await startRedis();
    servers.push(server);
    const keyPrefix = `faults-${randomUUID()}`;
    const [first] = await guardsOn(server, 1, keyPrefix);
    expect(await send(first!, true)).toBe('b');
    await server.restart();
    await eventually(() => first!.store.shared, 8_000, 'the instance to rejoin the empty Redis');
    const [fresh] = await guardsOn(server, 1, keyPrefix);
    await eventually(() => keyState(fresh!, 'a') === 'disabled', 3_000, 'a new instance to learn the disabled key');
    expect(keyState(first!, 'a')).toBe('disabled');
  });

  it('a Redis restart with persistence keeps disabled-key decisions, even after a crash', async () => {
    const server = await startRedis({ persistent: true });
    servers.push(server);
    const keyPrefix = `faults-${randomUUID()}`;
    const [first] = await guardsOn(server, 1, keyPrefix);
    expect(await send(first!, true)).toBe('b');
    await first!.store.close();
    started.splice(0);
    await server.kill();
    await server.restart();
    const [fresh] = await guardsOn(server, 1, keyPrefix);
    await eventually(() => keyState(fresh!, 'a') === 'disabled', 3_000, 'a new instance to read the persisted decision');
    expect(fresh!.guard.snapshot().providers[0]?.keys.find((key) => key.id === 'a')?.disabledReason).toContain('401');
    expect(await send(fresh!)).toBe('b');
  });

  it('works with a Redis that requires a password, and says so clearly when the password is wrong', async () => {
    const server = await startRedis({ password: 'fake-test-redis-password' });
    servers.push(server);
    const [shared] = await guardsOn(server, 1, `faults-${randomUUID()}`);
    expect(shared!.store.shared).toBe(true);
    expect(await send(shared!)).toBe('a');
    const wrongUrl = server.url.replace('fake-test-redis-password', 'wrong-password');
    const wrong = await startSharedGuards(1, { url: wrongUrl, clock: systemClock, providers: [twoKeys()], store: fastStore }).catch((error: Error) => error);
    expect(wrong).toBeInstanceOf(Error);
    expect((wrong as Error).message).toMatch(/guard state not shared: redis:\/\/127\.0\.0\.1:\d+ refused the connection \((WRONGPASS|NOAUTH)/);
    expect((wrong as Error).message).not.toContain('wrong-password');
  });
});
