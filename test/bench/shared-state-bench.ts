// What sharing the guard state through Redis costs (docs/performance.md "Shared guard state"). Not part of
// `npm run bench`: run it alone on a quiet machine with
//   node test/bench/shared-state-bench.ts [--admissions 3000] [--seconds 5]
// It starts its own redis-server on 127.0.0.1 (random port, no persistence) and measures:
//   1. added latency per request: sequential guard.run() calls with an instant attempt, local guard vs shared;
//   2. throughput: 1 vs 3 guard instances, each its own Node process with its own Redis connection, admitting as
//      fast as they can (16 in flight each) on one shared key.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createExecutionGuard } from '../../main/core/guard/execution-guard.ts';
import type { ExecutionGuard, GuardProvider } from '../../main/core/guard/guard-contract.ts';
import { systemClock } from '../../main/core/guard/clock.ts';
import { RedisStateStore } from '../../main/core/guard/shared-state/redis-state-store.ts';
import { startRedis } from '../helpers/redis-server.ts';

const { values } = parseArgs({
  options: { admissions: { type: 'string', default: '3000' }, seconds: { type: 'string', default: '5' }, worker: { type: 'string' }, prefix: { type: 'string' } },
});
const admissions = Number(values.admissions);
const seconds = Number(values.seconds);

// Limits that never bind but make the admission script do its full work (windows, pacing, leases).
const provider: GuardProvider = {
  id: 'p',
  keys: [{ id: 'k', secret: 'fake-bench-key-not-real', enabled: true }],
  settings: { limits: { perMinute: 10_000_000, perDay: 100_000_000, tokensPerMinute: 1_000_000_000, maxConcurrent: 10_000 }, queue: { maxLength: 100_000 } },
};
const request = () => ({ providerId: 'p', model: 'bench', stream: false, estimatedInputTokens: () => 100, signal: new AbortController().signal });
const instant = () => Promise.resolve({ value: 1 });

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

async function latencies(guard: ExecutionGuard, count: number): Promise<{ p50: number; p99: number; mean: number }> {
  const times: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    await guard.run(request(), instant);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), mean: times.reduce((sum, time) => sum + time, 0) / times.length };
}

async function throughput(guards: ExecutionGuard[], concurrency: number, durationMs: number): Promise<number> {
  let done = 0;
  const until = performance.now() + durationMs;
  const loop = async (guard: ExecutionGuard) => {
    while (performance.now() < until) {
      await guard.run(request(), instant);
      done += 1;
    }
  };
  await Promise.all(guards.flatMap((guard) => Array.from({ length: concurrency }, () => loop(guard))));
  return done / (durationMs / 1000);
}

async function sharedGuards(url: string, count: number): Promise<{ guards: ExecutionGuard[]; close: () => Promise<void> }> {
  const keyPrefix = `bench-${randomUUID()}`;
  const stores = Array.from({ length: count }, () => new RedisStateStore({ url, keyPrefix, clock: systemClock }));
  const guards = stores.map((store) => {
    const guard = createExecutionGuard({ sharedState: store });
    guard.configure([provider]);
    return guard;
  });
  for (const store of stores) if (!(await store.waitUntilShared(5_000))) throw new Error('could not reach the bench Redis');
  return { guards, close: async () => void (await Promise.all(stores.map((store) => store.close()))) };
}

/** One instance in its own process: prints how many requests it pushed through in the time given. */
async function worker(url: string, keyPrefix: string): Promise<void> {
  const store = new RedisStateStore({ url, keyPrefix, clock: systemClock });
  const guard = createExecutionGuard({ sharedState: store });
  guard.configure([provider]);
  if (!(await store.waitUntilShared(5_000))) throw new Error('could not reach the bench Redis');
  const rate = await throughput([guard], 16, seconds * 1000);
  console.log(String(Math.round(rate * seconds)));
  await store.close();
}

async function processes(url: string, count: number): Promise<number> {
  const keyPrefix = `bench-${randomUUID()}`;
  const counts = await Promise.all(
    Array.from({ length: count }, () => new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, [import.meta.filename, '--worker', url, '--prefix', keyPrefix, '--seconds', String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => (code === 0 ? resolve(Number(output.trim())) : reject(new Error(`bench worker exited with ${code}`))));
    })),
  );
  return counts.reduce((sum, done) => sum + done, 0) / seconds;
}

if (values.worker) {
  await worker(values.worker, values.prefix ?? 'bench');
  process.exit(0);
}

const redis = await startRedis();
try {
  const local = createExecutionGuard();
  local.configure([provider]);
  await latencies(local, 500);
  const localLatency = await latencies(local, admissions);
  const one = await sharedGuards(redis.url, 1);
  await latencies(one.guards[0]!, 500);
  const sharedLatency = await latencies(one.guards[0]!, admissions);
  const localRate = await throughput([local], 16, seconds * 1000);
  await one.close();
  const oneRate = await processes(redis.url, 1);
  const threeRate = await processes(redis.url, 3);
  const ms = (value: number) => value.toFixed(3);
  console.log(`sequential requests (${admissions}): local p50 ${ms(localLatency.p50)} ms p99 ${ms(localLatency.p99)} ms mean ${ms(localLatency.mean)} ms`);
  console.log(`                         shared p50 ${ms(sharedLatency.p50)} ms p99 ${ms(sharedLatency.p99)} ms mean ${ms(sharedLatency.mean)} ms`);
  console.log(`added per request: p50 ${ms(sharedLatency.p50 - localLatency.p50)} ms, mean ${ms(sharedLatency.mean - localLatency.mean)} ms`);
  console.log(`throughput (16 in flight per instance, ${seconds} s): local in-process ${localRate.toFixed(0)}/s, shared 1 process ${oneRate.toFixed(0)}/s, shared 3 processes ${threeRate.toFixed(0)}/s (${(threeRate / oneRate).toFixed(2)}x of one)`);
} finally {
  await redis.stop();
}
