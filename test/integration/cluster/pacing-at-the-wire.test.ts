import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killStartedProcesses } from '../../helpers/cli-process.ts';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { chatCompletion } from '../../helpers/fake-upstream/openai-replies.ts';
import type { TestProxy } from '../../helpers/proxies/http-proxy.ts';
import { startSocks5Proxy } from '../../helpers/proxies/socks5-proxy.ts';
import type { RunningRedis } from '../../helpers/redis-server.ts';
import { startRedis } from '../../helpers/redis-server.ts';
import type { ServeInstance } from './serve-cluster.ts';
import { ask, eventually, health, startInstance, writeClusterConfig } from './serve-cluster.ts';

// Issue 15, point 8: with minDelayMs 250 every gap between two arrivals at the provider is >= 250 ms, because the
// guard times the spacing from the moment a request was written to its connection, not from its admission. The
// engine runs as real `serve` processes (real undici pools, fresh per process: the first connection is cold); the
// fake provider runs here, idle besides stamping arrivals, so the engine's own work cannot shift its timestamps.
//
// The only slack allowed is clock granularity: the guard's clock is whole milliseconds (Date.now()), so a send that
// left at x.9 ms is recorded as x and the next may leave up to 1 ms "early" in true time; the provider's stamp
// (performance.now(), read when the request has been parsed) adds up to about 1 ms of its own. Hence 250 - 2.

const minDelayMs = 250;
const granularityMs = 2;
const requests = 20;

let redis: RunningRedis;
let upstream: FakeUpstream | undefined;
let proxy: TestProxy | undefined;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  killStartedProcesses();
  await upstream?.close();
  await proxy?.close();
  upstream = undefined;
  proxy = undefined;
});

/** The provider, answering each request and (with `coldEveryTime`) closing the connection after it. */
async function startProvider(coldEveryTime: boolean): Promise<FakeUpstream> {
  const fake = await startFakeUpstream('openai');
  fake.setHandler((request, index) => ({
    kind: 'raw',
    status: 200,
    headers: { 'content-type': 'application/json', ...(coldEveryTime ? { connection: 'close' } : {}) },
    chunks: [JSON.stringify(chatCompletion({ kind: 'text' }, request.model ?? 'test-model', `chatcmpl-${index}`))],
  }));
  return fake;
}

function gapsBetweenArrivals(fake: FakeUpstream): number[] {
  const times = fake.requests.map((request) => request.arrivedAt).sort((a, b) => a - b);
  return times.slice(1).map((time, index) => Math.round((time - times[index]!) * 10) / 10);
}

async function instances(count: number, settings: Record<string, unknown>, shared: boolean): Promise<ServeInstance[]> {
  const config = writeClusterConfig(upstream!.url, 1, { limits: { minDelayMs }, queue: { maxLength: 100, maxWaitMs: 60_000 }, ...settings });
  if (!shared) return [await startInstance(config, undefined)];
  const started = await Promise.all(Array.from({ length: count }, () => startInstance(config, `${redis.url}/0`)));
  for (const instance of started) await eventually(async () => (await health(instance)).sharedState?.instances === count, 5_000, `every instance to count ${count} live instances`);
  return started;
}

async function sendConcurrently(targets: ServeInstance[]): Promise<number[]> {
  return Promise.all(Array.from({ length: requests }, (_, index) => ask(targets[index % targets.length]!)));
}

describe('pacing is exact at the wire (minDelayMs from the moment a request went out)', () => {
  it('a fresh pool (cold first connection), 20 concurrent requests on one key: every gap >= minDelayMs', { timeout: 30_000 }, async () => {
    upstream = await startProvider(false);
    const [instance] = await instances(1, {}, false);
    const statuses = await sendConcurrently([instance!]);
    expect(statuses).toEqual(Array(requests).fill(200));
    const gaps = gapsBetweenArrivals(upstream);
    expect(gaps).toHaveLength(requests - 1);
    expect(Math.min(...gaps), `gaps: ${gaps.join(', ')}`).toBeGreaterThanOrEqual(minDelayMs - granularityMs);
  });

  it('a slow connect on every request (a proxy that takes 60 ms to open each tunnel): every gap >= minDelayMs', { timeout: 30_000 }, async () => {
    upstream = await startProvider(true);
    proxy = await startSocks5Proxy({ connectDelayMs: 60 });
    const [instance] = await instances(1, { proxy: proxy.url }, false);
    const statuses = await sendConcurrently([instance!]);
    expect(statuses).toEqual(Array(requests).fill(200));
    // Every request opened its own tunnel: each one was a cold, slow connection.
    expect(proxy.records.length).toBe(requests);
    const gaps = gapsBetweenArrivals(upstream);
    expect(Math.min(...gaps), `gaps: ${gaps.join(', ')}`).toBeGreaterThanOrEqual(minDelayMs - granularityMs);
  });

  it('two instances sharing the pacer through a real Redis, slow connects: every gap >= minDelayMs across both', { timeout: 40_000 }, async () => {
    upstream = await startProvider(true);
    proxy = await startSocks5Proxy({ connectDelayMs: 60 });
    const both = await instances(2, { proxy: proxy.url }, true);
    const statuses = await sendConcurrently(both);
    expect(statuses).toEqual(Array(requests).fill(200));
    const gaps = gapsBetweenArrivals(upstream);
    expect(gaps).toHaveLength(requests - 1);
    expect(Math.min(...gaps), `gaps: ${gaps.join(', ')}`).toBeGreaterThanOrEqual(minDelayMs - granularityMs);
  });
});
