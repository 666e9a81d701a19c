// `npm run bench`: Switchyard's added latency, throughput and memory, measured against the same fake provider
// reached directly. Layout on a 2-core machine: the fake provider and the load generator share core 0, the engine
// has core 1 to itself (taskset), so "through Switchyard" pays for the extra hop and nothing else.
// Flags: --quick (short runs, for a smoke check), --duration <ms> per run, --json <file> to save results.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { bundleEngine, engineNodeFlags } from '../../build/scripts/engine-bundle.ts';

const here = import.meta.dirname;
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const durationArg = args.indexOf('--duration');
const durationMs = durationArg !== -1 ? Number(args[durationArg + 1]) : quick ? 1500 : 5000;
const warmupMs = quick ? 500 : 1500;
const jsonArg = args.indexOf('--json');
const jsonPath = jsonArg !== -1 ? args[jsonArg + 1] : undefined;

const cores = availableParallelism();
const pin = cores >= 2;
const clientKey = 'sy-bench-client-key-000000000000';

function launch(script: string, core: number, env: Record<string, string> = {}, nodeFlags: string[] = []): ChildProcess {
  const path = script.startsWith('/') ? script : join(here, script);
  const command = pin ? 'taskset' : process.execPath;
  const commandArgs = pin ? ['-c', String(core), process.execPath, ...nodeFlags, path] : [...nodeFlags, path];
  return spawn(command, commandArgs, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
}

function firstLine(child: ChildProcess, prefix: string, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`no "${prefix}" line within ${timeoutMs} ms`)), timeoutMs);
    lines.on('line', (line) => {
      if (line.startsWith(prefix)) {
        clearTimeout(timer);
        lines.close();
        resolve(line.slice(prefix.length).trim());
      }
    });
    child.once('exit', (code) => reject(new Error(`${prefix}: process exited with ${code}`)));
  });
}

interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
  ttfbP50: number;
  ttfbP99: number;
  bytesPerRequest: number;
}

async function load(origin: string, path: string, headers: Record<string, string>, body: unknown, concurrency: number): Promise<LoadResult> {
  const child = launch('bench-load.ts', 0, {
    BENCH_TASK: JSON.stringify({ origin, path, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), concurrency, warmupMs, durationMs }),
  });
  return JSON.parse(await firstLine(child, '', durationMs + warmupMs + 30_000)) as LoadResult;
}

const anthropicBody = (model: string, stream: boolean) => ({
  model,
  max_tokens: 256,
  stream,
  messages: [{ role: 'user', content: 'Write fifty words, one per chunk.' }],
});
const chatBody = (model: string, stream: boolean) => ({
  model,
  stream,
  ...(stream ? { stream_options: { include_usage: true } } : {}),
  messages: [{ role: 'user', content: 'Write fifty words, one per chunk.' }],
});

interface Row {
  scenario: string;
  concurrency: number;
  direct: LoadResult;
  through: LoadResult;
}

const format = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

async function main(): Promise<void> {
  const upstream = launch('bench-upstream.ts', 0);
  const upstreamUrl = `http://127.0.0.1:${await firstLine(upstream, 'port ')}`;
  // The engine runs exactly as `npm run serve` runs it: bundled, with the engine's V8 flags.
  const engineBundle = join(here, '..', '..', 'dist', 'bench', 'bench-engine.mjs');
  await bundleEngine(join(here, 'bench-engine.ts'), engineBundle);
  // BENCH_ENGINE_FLAGS (space-separated) overrides the flags, to compare V8 settings.
  const flags = process.env.BENCH_ENGINE_FLAGS !== undefined ? process.env.BENCH_ENGINE_FLAGS.split(' ').filter(Boolean) : engineNodeFlags;
  const engine = launch(engineBundle, 1, { BENCH_UPSTREAM: upstreamUrl }, flags);
  const engineUrl = await firstLine(engine, 'url ');
  const rows: Row[] = [];
  try {
    // Is cross-format translation available in this build? (Anthropic client -> OpenAI-format upstream)
    const probe = await fetch(`${engineUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': clientKey, 'content-type': 'application/json' },
      body: JSON.stringify(anthropicBody('oai/bench-model', false)),
    });
    await probe.arrayBuffer();
    const translated = probe.status === 200;

    const scenarios = [
      { name: 'non-streaming', stream: false, translated: false },
      { name: 'streaming, 50 chunks', stream: true, translated: false },
      ...(translated ? [{ name: 'translated streaming (Anthropic client -> OpenAI upstream), 50 chunks', stream: true, translated: true }] : []),
    ];
    for (const scenario of scenarios) {
      for (const concurrency of [1, 16, 64]) {
        const direct = scenario.translated
          ? await load(upstreamUrl, '/v1/chat/completions', { authorization: 'Bearer direct' }, chatBody('bench-model', true), concurrency)
          : await load(upstreamUrl, '/v1/messages', { 'x-api-key': 'direct' }, anthropicBody('bench-model', scenario.stream), concurrency);
        const through = await load(
          engineUrl,
          '/v1/messages',
          { 'x-api-key': clientKey },
          anthropicBody(scenario.translated ? 'oai/bench-model' : 'claude/bench-model', scenario.stream),
          concurrency,
        );
        rows.push({ scenario: scenario.name, concurrency, direct, through });
        process.stderr.write(`  ${scenario.name} c=${concurrency}: direct ${format(direct.rps, 0)} req/s, through ${format(through.rps, 0)} req/s\n`);
      }
    }
    if (!translated) process.stderr.write('  (translated scenario skipped: this build cannot translate Anthropic -> OpenAI yet)\n');
  } finally {
    const rss = firstLine(engine, 'peak-rss ', 10_000).catch(() => 'NaN');
    engine.kill('SIGTERM');
    const peakRss = Number(await rss);
    upstream.kill('SIGTERM');
    report(rows, peakRss);
  }
}

function report(rows: Row[], peakRss: number): void {
  const lines: string[] = [];
  lines.push(`Switchyard benchmark — ${new Date().toISOString()}, Node ${process.version}, ${cores} cores${pin ? ' (provider + load on core 0, Switchyard on core 1)' : ' (not pinned)'}`);
  lines.push(`Each run: ${warmupMs} ms warm-up, ${durationMs} ms measured, closed loop.`);
  lines.push('');
  lines.push('| Scenario | Conc. | Direct req/s | Through req/s | Through/direct | Direct p50 ms | Through p50 ms | Added p50 ms | Through p99 ms | Direct TTFB p50 | Through TTFB p50 | Errors |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    lines.push(
      `| ${row.scenario} | ${row.concurrency} | ${format(row.direct.rps, 0)} | ${format(row.through.rps, 0)} | ${format((100 * row.through.rps) / row.direct.rps, 0)}% | ${format(row.direct.p50, 3)} | ${format(row.through.p50, 3)} | ${format(row.through.p50 - row.direct.p50, 3)} | ${format(row.through.p99, 3)} | ${format(row.direct.ttfbP50, 3)} | ${format(row.through.ttfbP50, 3)} | ${row.direct.errors + row.through.errors} |`,
    );
  }
  lines.push('');
  lines.push(`Peak RSS of the engine process: ${format(peakRss / 1024 / 1024, 1)} MB`);
  lines.push('');
  const find = (prefix: string, concurrency: number) => rows.find((row) => row.scenario.startsWith(prefix) && row.concurrency === concurrency);
  const check = (label: string, ok: boolean | undefined, value: string) => lines.push(`${ok === undefined ? '  n/a ' : ok ? '  met ' : ' MISSED'} ${label}: ${value}`);
  const stream16 = find('streaming', 16);
  const plain1 = find('non-streaming', 1);
  const stream1 = find('streaming', 1);
  const translated16 = find('translated', 16);
  const translated1 = find('translated', 1);
  lines.push('Targets:');
  if (stream16) check('streaming req/s at c=16 through Switchyard >= 40% of direct', stream16.through.rps >= 0.4 * stream16.direct.rps, `${format((100 * stream16.through.rps) / stream16.direct.rps, 0)}%`);
  if (plain1) check('added p50 at c=1 (non-streaming) < 0.3 ms', plain1.through.p50 - plain1.direct.p50 < 0.3, `${format(plain1.through.p50 - plain1.direct.p50, 3)} ms`);
  if (stream1) check('added p50 at c=1 (streaming) < 0.3 ms', stream1.through.p50 - stream1.direct.p50 < 0.3, `${format(stream1.through.p50 - stream1.direct.p50, 3)} ms`);
  check('peak RSS of the engine under load < 120 MB', Number.isFinite(peakRss) ? peakRss < 120 * 1024 * 1024 : undefined, `${format(peakRss / 1024 / 1024, 1)} MB`);
  if (translated16) check('translated streaming req/s at c=16 >= 30% of direct', translated16.through.rps >= 0.3 * translated16.direct.rps, `${format((100 * translated16.through.rps) / translated16.direct.rps, 0)}%`);
  if (translated1) check('translated added p50 at c=1 < 0.5 ms', translated1.through.p50 - translated1.direct.p50 < 0.5, `${format(translated1.through.p50 - translated1.direct.p50, 3)} ms`);
  const text = lines.join('\n');
  process.stdout.write(`${text}\n`);
  if (jsonPath) {
    mkdirSync(dirname(jsonPath), { recursive: true });
    writeFileSync(jsonPath, JSON.stringify({ rows, peakRss, durationMs, warmupMs, node: process.version }, null, 2));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
