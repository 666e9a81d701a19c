// Closed-loop load generator: `concurrency` workers each send one request, read the whole answer, and send the
// next, for a warm-up and then a measured period. Reads its task from BENCH_TASK (JSON) and prints one JSON line
// of results. Latency = request start to last byte; TTFB = request start to the first body byte.
import { Pool } from 'undici';

interface Task {
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

const task = JSON.parse(process.env.BENCH_TASK!) as Task;
const pool = new Pool(task.origin, { connections: task.concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
const body = Buffer.from(task.body);

const latencies: number[] = [];
const ttfbs: number[] = [];
let errors = 0;
let bytes = 0;
const start = performance.now();
const measureFrom = start + task.warmupMs;
const stopAt = measureFrom + task.durationMs;

async function worker(): Promise<void> {
  while (performance.now() < stopAt) {
    const begun = performance.now();
    let firstByte = 0;
    let received = 0;
    try {
      const response = await pool.request({ path: task.path, method: 'POST', headers: task.headers, body });
      for await (const chunk of response.body) {
        if (firstByte === 0) firstByte = performance.now();
        received += (chunk as Buffer).length;
      }
      if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
    } catch {
      if (begun >= measureFrom) errors += 1;
      continue;
    }
    const ended = performance.now();
    if (begun >= measureFrom && ended <= stopAt) {
      latencies.push(ended - begun);
      ttfbs.push(firstByte - begun);
      bytes += received;
    }
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

await Promise.all(Array.from({ length: task.concurrency }, worker));
await pool.close();
process.stdout.write(
  `${JSON.stringify({
    requests: latencies.length,
    errors,
    rps: latencies.length / (task.durationMs / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    ttfbP50: percentile(ttfbs, 50),
    ttfbP99: percentile(ttfbs, 99),
    bytesPerRequest: latencies.length ? Math.round(bytes / Math.max(1, latencies.length)) : 0,
  })}\n`,
);
