import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRedis } from '../../helpers/redis-server.ts';
import { freePort, startRedis } from '../../helpers/redis-server.ts';
import { killStartedProcesses as killServeProcesses } from '../../helpers/cli-process.ts';
import type { LimitedUpstream } from '../guard/limited-upstream.ts';
import { startLimitedUpstream } from '../guard/limited-upstream.ts';
import { stopEverythingStarted } from '../guard/stop-after-each.ts';
import type { ServeInstance } from './serve-cluster.ts';
import { ask, eventually, fakeSecret, health, startInstance, writeClusterConfig } from './serve-cluster.ts';

// Real `serve` processes sharing one real Redis, in front of a fake provider that enforces 10 requests per rolling
// minute per key and answers 429 when that is broken. Real clock; each case is bounded to a few seconds: requests
// that would have to wait for the next minute are refused by Switchyard itself (queue.maxWaitMs) instead.

let redis: RunningRedis;
const extraRedis: RunningRedis[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  killServeProcesses();
  for (const server of extraRedis.splice(0)) await server.stop();
  await stopEverythingStarted();
});

async function limitedProvider(keyCount: number): Promise<LimitedUpstream> {
  const keys = Object.fromEntries(Array.from({ length: keyCount }, (_, index) => [fakeSecret(index), `k${index}`]));
  return startLimitedUpstream('openai', { now: Date.now, keys, limits: { window: { limit: 10, windowMs: 60_000 } } });
}

async function cluster(upstream: LimitedUpstream, keyCount: number, settings: Record<string, unknown>, url = redis.url, count = 3): Promise<ServeInstance[]> {
  const config = writeClusterConfig(upstream.upstream.url, keyCount, { ...settings, keyStrategy: 'round-robin' });
  return Promise.all(Array.from({ length: count }, () => startInstance(config, url)));
}

function roundRobin(instances: ServeInstance[], requests: number): Promise<number[]> {
  return Promise.all(Array.from({ length: requests }, (_, index) => ask(instances[index % instances.length]!)));
}

describe('several serve processes share one guard state', () => {
  it('3 instances, one key the provider limits to 10 per rolling minute, 60 requests round-robin: 10 arrivals, no upstream 429', async () => {
    const upstream = await limitedProvider(1);
    const instances = await cluster(upstream, 1, { limits: { perMinute: 10 }, queue: { maxWaitMs: 1_500 } }, `${redis.url}/0`);
    // Each instance counts the live ones at its next heartbeat (every second).
    for (const instance of instances) {
      await eventually(async () => (await health(instance)).sharedState?.instances === 3, 5_000, 'every instance to count 3 live instances');
      expect((await health(instance)).sharedState).toEqual({ mode: 'shared', instances: 3 });
    }
    const statuses = await roundRobin(instances, 60);
    expect(upstream.violations).toBe(0);
    expect(upstream.arrivals).toHaveLength(10);
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    // The other 50 were refused by Switchyard (the next slot is a minute away), never by the provider.
    expect(statuses.filter((status) => status === 429 || status === 503)).toHaveLength(50);
  });

  it('4 keys at 10 per minute each: 40 arrivals, 10 per key, no upstream 429', async () => {
    const upstream = await limitedProvider(4);
    const instances = await cluster(upstream, 4, { limits: { perMinute: 10 }, queue: { maxWaitMs: 1_500 } }, `${redis.url}/1`);
    const statuses = await roundRobin(instances, 120);
    expect(upstream.violations).toBe(0);
    expect(upstream.arrivals).toHaveLength(40);
    for (let index = 0; index < 4; index += 1) expect(upstream.arrivals.filter((arrival) => arrival.keyId === `k${index}`)).toHaveLength(10);
    expect(statuses.filter((status) => status === 200)).toHaveLength(40);
  });

  it('an instance killed while holding the only in-flight slot frees it within a few seconds', async () => {
    const upstream = await limitedProvider(1);
    upstream.setReply((_request, index) => (index === 0 ? { kind: 'hang' } : { kind: 'text' }));
    const [holder, other] = await cluster(upstream, 1, { limits: { maxConcurrent: 1 }, queue: { maxWaitMs: 20_000 } }, `${redis.url}/2`, 2);
    void ask(holder!).catch(() => {});
    await eventually(() => upstream.arrivals.length === 1, 5_000, 'the first request to reach the provider');
    const waiting = ask(other!);
    // The slot is held on the other instance: the second request waits instead of reaching the provider.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(upstream.arrivals).toHaveLength(1);
    const killedAt = Date.now();
    holder!.run.child.kill('SIGKILL');
    expect(await waiting).toBe(200);
    const freedAfter = upstream.arrivals[1]!.at - killedAt;
    expect(upstream.arrivals).toHaveLength(2);
    expect(freedAfter).toBeLessThan(7_000);
  });

  it('shares through Redis over TLS (rediss://) with a password, and names the certificate problem when the CA is not trusted', async () => {
    const upstream = await limitedProvider(1);
    const secure = await startRedis({ tls: true, password: 'fake-test-redis-password' });
    extraRedis.push(secure);
    const config = writeClusterConfig(upstream.upstream.url, 1, { limits: { perMinute: 10 } });
    const trusted = await startInstance(config, secure.url, { NODE_EXTRA_CA_CERTS: secure.certificateFile! });
    expect((await health(trusted)).sharedState).toEqual({ mode: 'shared', instances: 1 });
    expect(trusted.run.output()).toMatch(/guard state: shared through rediss:\/\/127\.0\.0\.1:\d+/);
    expect(trusted.run.output() + trusted.run.errors()).not.toContain('fake-test-redis-password');
    expect(await ask(trusted)).toBe(200);
    const untrusted = await startInstance(config, secure.url);
    const warning = (await health(untrusted)).sharedState?.warning ?? '';
    expect(warning).toMatch(/^guard state not shared: rediss:\/\/127\.0\.0\.1:\d+ is unreachable \(.*(CERT|certificate)/i);
  });

  it('Redis killed mid-run: the instances keep serving with a warning on /health and share again after its restart', async () => {
    const upstream = await limitedProvider(1);
    const own = await startRedis();
    extraRedis.push(own);
    const instances = await cluster(upstream, 1, { limits: { perMinute: 10 }, queue: { maxWaitMs: 1_500 } }, own.url, 2);
    expect(await roundRobin(instances, 4)).toEqual([200, 200, 200, 200]);
    await own.kill();
    for (const instance of instances) {
      await eventually(async () => (await health(instance)).sharedState?.mode === 'local', 5_000, 'each instance to notice Redis is gone');
      expect((await health(instance)).sharedState?.warning).toMatch(/^guard state not shared: /);
    }
    // Served on each instance's local guard: nothing is lost or held up.
    expect(await roundRobin(instances, 2)).toEqual([200, 200]);
    await own.restart();
    for (const instance of instances) await eventually(async () => (await health(instance)).sharedState?.mode === 'shared', 10_000, 'each instance to rejoin');
    await eventually(async () => (await health(instances[0]!)).sharedState?.instances === 2, 5_000, 'both instances to count each other again');
    expect(upstream.violations).toBe(0);
  });

  it('starts without Redis on its local guard with a warning on /health, and shares once Redis is there', async () => {
    const upstream = await limitedProvider(1);
    const port = await freePort();
    const [instance] = await cluster(upstream, 1, { limits: { perMinute: 10 } }, `redis://127.0.0.1:${port}`, 1);
    const before = await health(instance!);
    expect(before.status).toBe('ok');
    expect(before.sharedState?.mode).toBe('local');
    expect(before.sharedState?.warning).toMatch(/^guard state not shared: redis:\/\/127\.0\.0\.1:\d+ is unreachable/);
    expect(instance!.run.output()).toContain('guard state: guard state not shared');
    expect(await ask(instance!)).toBe(200);
    extraRedis.push(await startRedis({ port }));
    await eventually(async () => (await health(instance!)).sharedState?.mode === 'shared', 10_000, 'the instance to join Redis');
    expect((await health(instance!)).sharedState).toEqual({ mode: 'shared', instances: 1 });
  });
});
