// Micro-benchmark of the execution guard alone: no network, the attempt answers at once. Measures what the guard
// itself adds to one request with 8 keys and every step on (dedup, queue, pacing, minute/hour/day and token windows,
// provider-wide limits, learned header budgets, key pool, breakers, retry bookkeeping).
//   node test/bench/guard-bench.ts [--requests 100000]
// Prints the median and p99 cost per request, sequential (the guard's fixed cost) and with 64 requests in flight
// over 8 keys limited to 2 concurrent sends each (the waiting path: queue, wake-ups, releases).
import { performance } from 'node:perf_hooks';
import { createExecutionGuard } from '../../main/core/guard/execution-guard.ts';
import type { AttemptSuccess, GuardRequest, KeyLease } from '../../main/core/guard/guard-contract.ts';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const requests = argument('requests', 100_000);
const warmup = Math.min(20_000, requests);
const timeBudgetMs = 20_000;

const keys = Array.from({ length: 8 }, (_, index) => ({ id: `key-${index}`, secret: `sk-bench-${'x'.repeat(24)}${index}`, enabled: true, weight: index + 1 }));
const everyStepOn = (maxConcurrent: number) => ({
  limits: { maxConcurrent, minDelayMs: 1, burst: 10_000_000, perMinute: 10_000_000, perHour: 100_000_000, perDay: 1_000_000_000, tokensPerMinute: 1_000_000_000 },
  providerLimits: { maxConcurrent: 1_000, perMinute: 100_000_000 },
  queue: { maxLength: 10_000, maxWaitMs: 60_000 },
  retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 10_000 },
  breaker: { failureThreshold: 5, windowMs: 30_000, cooldownMs: 30_000, halfOpenProbes: 1 },
  dedup: { enabled: true, windowMs: 0 },
});

const headers = { 'x-ratelimit-remaining-requests': '100000000', 'x-ratelimit-reset-requests': '1m0s', 'x-ratelimit-remaining-tokens': '100000000', 'x-ratelimit-reset-tokens': '1m0s' };
const answer: AttemptSuccess<string> = { value: 'ok', headers };
const attempt = (_lease: KeyLease) => Promise.resolve(answer);

function percentile(sorted: Float64Array, fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

function report(label: string, samples: Float64Array): void {
  const sorted = samples.slice().sort();
  const micro = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  console.log(`${label.padEnd(44)} n=${sorted.length}  median ${micro(percentile(sorted, 0.5))}  p99 ${micro(percentile(sorted, 0.99))}`);
}

async function sequential(): Promise<Float64Array> {
  const guard = createExecutionGuard();
  guard.configure([{ id: 'bench', keyStrategy: 'weighted', keys, settings: everyStepOn(16) }]);
  const signal = new AbortController().signal;
  const samples = new Float64Array(requests);
  const deadline = performance.now() + timeBudgetMs;
  let measured = 0;
  for (let index = 0; index < warmup + requests && performance.now() < deadline; index += 1) {
    const request: GuardRequest = { providerId: 'bench', model: 'm', stream: false, estimatedInputTokens: () => 500, dedupKey: `body-${index}`, signal };
    const start = performance.now();
    await guard.run(request, attempt);
    const elapsed = performance.now() - start;
    if (index >= warmup) samples[measured++] = elapsed;
  }
  return samples.subarray(0, measured);
}

async function concurrent(): Promise<Float64Array> {
  const guard = createExecutionGuard();
  guard.configure([{ id: 'bench', keyStrategy: 'least-used', keys, settings: everyStepOn(2) }]);
  const signal = new AbortController().signal;
  const inFlight = 64;
  const batches = Math.max(1, Math.floor(requests / inFlight));
  const samples = new Float64Array(batches);
  const deadline = performance.now() + timeBudgetMs;
  let measured = 0;
  let counter = 0;
  for (let batch = 0; batch < batches + 50 && performance.now() < deadline; batch += 1) {
    const start = performance.now();
    const runs: Promise<string>[] = [];
    for (let index = 0; index < inFlight; index += 1) {
      counter += 1;
      runs.push(guard.run({ providerId: 'bench', model: 'm', stream: false, estimatedInputTokens: () => 500, dedupKey: `body-${counter}`, signal }, attempt));
    }
    await Promise.all(runs);
    // Cost per request within the batch.
    if (batch >= 50) samples[measured++] = (performance.now() - start) / inFlight;
  }
  return samples.subarray(0, measured);
}

console.log(`Guard micro-benchmark: 8 keys, every step on, Node ${process.version}`);
report('sequential (one request at a time)', await sequential());
report('64 in flight, 2 per key (queue path)', await concurrent());
