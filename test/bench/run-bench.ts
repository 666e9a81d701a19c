// `npm run bench`: Switchyard's added latency, throughput and memory, measured against the same fake provider
// reached directly, and against a bare Node proxy (the price of one more HTTP hop on this machine).
// Layout on a 2-core machine: the fake provider and the load generator share core 0; Switchyard (and, for the
// reference, the bare proxy) run alone on core 1 (taskset). Direct, bare and Switchyard runs are interleaved in
// rounds and the median of each metric is reported, because a shared virtual machine drifts over a few seconds.
// Flags: --quick (one short round, a smoke check), --rounds N, --duration <ms> per run, --json <file>.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bareProxyFlags, bundleEngine, engineNodeFlags } from '../../build/scripts/engine-bundle.ts';
import { cores, firstLine, launch, pinned as pin } from './bench-processes.ts';
import { scenarios } from './bench-scenarios.ts';
import { sampleResidentPeak } from './process-sampler.ts';

const here = import.meta.dirname;
const args = process.argv.slice(2);
const option = (name: string) => {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
};
const quick = args.includes('--quick');
const rounds = Number(option('--rounds') ?? (quick ? 1 : 3));
const durationMs = Number(option('--duration') ?? (quick ? 1500 : 2000));
const warmupMs = quick ? 400 : 600;
const jsonPath = option('--json');

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

const median = (values: number[]) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor((sorted.length - 1) / 2)]!;
};

function medianResult(results: LoadResult[]): LoadResult {
  const pick = (key: keyof LoadResult) => median(results.map((result) => result[key]));
  return {
    requests: pick('requests'),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
    rps: pick('rps'),
    p50: pick('p50'),
    p99: pick('p99'),
    ttfbP50: pick('ttfbP50'),
    ttfbP99: pick('ttfbP99'),
    bytesPerRequest: pick('bytesPerRequest'),
  };
}

interface Row {
  scenario: string;
  concurrency: number;
  direct: LoadResult;
  bare: LoadResult;
  through: LoadResult;
  /** Highest RSS (bytes) of the engine while its runs of this row were measured, and of the bare proxy during its runs. */
  enginePeakRss: number;
  barePeakRss: number;
}

const format = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const megabytes = (bytes: number) => format(bytes / 1024 / 1024, 1);
const percent = (part: number, whole: number) => `${format((100 * part) / whole, 0)}%`;

async function main(): Promise<void> {
  const upstream = launch('bench-upstream.ts', 0);
  const upstreamUrl = `http://127.0.0.1:${await firstLine(upstream, 'port ')}`;
  // The engine runs exactly as `npm run serve` runs it: bundled, with the engine's V8 flags. BENCH_ENGINE_FLAGS
  // (space-separated) overrides the flags to compare V8 settings. The bare proxy gets the same flags less the one
  // that would slow it down (bareProxyFlags in engine-bundle.ts); BENCH_BARE_FLAGS sets its flags outright.
  const flags = process.env.BENCH_ENGINE_FLAGS !== undefined ? process.env.BENCH_ENGINE_FLAGS.split(' ').filter(Boolean) : engineNodeFlags;
  const distDir = join(here, '..', '..', 'dist', 'bench');
  await Promise.all([bundleEngine(join(here, 'bench-engine.ts'), join(distDir, 'bench-engine.mjs')), bundleEngine(join(here, 'bench-bare-proxy.ts'), join(distDir, 'bench-bare-proxy.mjs'), { compact: false })]);
  const engine = launch(join(distDir, 'bench-engine.mjs'), 1, { BENCH_UPSTREAM: upstreamUrl }, flags);
  // A second engine, identical but for its usage ledger (in a throwaway folder), serves the `usage: true` rows.
  const usageDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-usage-'));
  const recording = launch(join(distDir, 'bench-engine.mjs'), 1, { BENCH_UPSTREAM: upstreamUrl, BENCH_DATA_DIR: usageDir }, flags);
  const bareFlags = process.env.BENCH_BARE_FLAGS !== undefined ? process.env.BENCH_BARE_FLAGS.split(' ').filter(Boolean) : bareProxyFlags(flags);
  const bare = launch(join(distDir, 'bench-bare-proxy.mjs'), 1, { BENCH_UPSTREAM: upstreamUrl }, bareFlags);
  const [engineUrl, recordingUrl, bareUrl] = await Promise.all([firstLine(engine, 'url '), firstLine(recording, 'url '), firstLine(bare, 'url ')]);
  const rows: Row[] = [];
  try {
    for (const scenario of scenarios) {
      for (const concurrency of [1, 16, 64]) {
        const samples: { direct: LoadResult[]; bare: LoadResult[]; through: LoadResult[] } = { direct: [], bare: [], through: [] };
        let enginePeakRss = Number.NaN;
        let barePeakRss = Number.NaN;
        const higher = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b));
        for (let round = 0; round < rounds; round += 1) {
          samples.direct.push(await load(upstreamUrl, ...scenario.reference, concurrency));
          const bareSampler = sampleResidentPeak(bare.pid!);
          samples.bare.push(await load(bareUrl, ...scenario.reference, concurrency));
          barePeakRss = higher(barePeakRss, bareSampler.stop());
          const subject = scenario.usage ? recording : engine;
          const engineSampler = sampleResidentPeak(subject.pid!);
          samples.through.push(await load(scenario.usage ? recordingUrl : engineUrl, ...scenario.switchyard, concurrency));
          enginePeakRss = higher(enginePeakRss, engineSampler.stop());
        }
        const row: Row = {
          scenario: scenario.name,
          concurrency,
          direct: medianResult(samples.direct),
          bare: medianResult(samples.bare),
          through: medianResult(samples.through),
          enginePeakRss,
          barePeakRss,
        };
        rows.push(row);
        process.stderr.write(
          `  ${scenario.name} c=${concurrency}: direct ${format(row.direct.rps, 0)}, bare proxy ${format(row.bare.rps, 0)}, Switchyard ${format(row.through.rps, 0)} req/s; peak RSS ${megabytes(enginePeakRss)} MB (bare ${megabytes(barePeakRss)})\n`,
        );
      }
    }
  } finally {
    const peaks = await Promise.all(
      [engine, bare, recording].map((child) => {
        const line = firstLine(child, 'peak-rss ', 10_000).catch(() => 'NaN');
        child.kill('SIGTERM');
        return line.then(Number);
      }),
    );
    upstream.kill('SIGTERM');
    rmSync(usageDir, { recursive: true, force: true });
    report(rows, peaks[0]!, peaks[1]!, peaks[2]!);
  }
}

function report(rows: Row[], enginePeak: number, barePeak: number, recordingPeak: number): void {
  const lines: string[] = [];
  lines.push(`Switchyard benchmark — ${new Date().toISOString()}, Node ${process.version}, ${cores} cores${pin ? ' (provider + load on core 0, Switchyard / bare proxy on core 1)' : ' (not pinned)'}`);
  lines.push(`Median of ${rounds} interleaved round(s) per row; each run ${warmupMs} ms warm-up + ${durationMs} ms measured, closed loop.`);
  lines.push('');
  lines.push('Throughput (req/s):');
  lines.push('');
  lines.push('| Scenario | Conc. | Direct | Bare Node proxy | Switchyard | Switchyard / direct | Switchyard / bare proxy | Errors |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    lines.push(`| ${row.scenario} | ${row.concurrency} | ${format(row.direct.rps, 0)} | ${format(row.bare.rps, 0)} | ${format(row.through.rps, 0)} | ${percent(row.through.rps, row.direct.rps)} | ${percent(row.through.rps, row.bare.rps)} | ${row.direct.errors + row.bare.errors + row.through.errors} |`);
  }
  lines.push('');
  lines.push('Latency (ms, p50 unless marked):');
  lines.push('');
  lines.push('| Scenario | Conc. | Direct | Bare proxy | Switchyard | Added by Switchyard | of which the extra hop (bare − direct) | Switchyard p99 | Switchyard TTFB |');
  lines.push('|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    lines.push(
      `| ${row.scenario} | ${row.concurrency} | ${format(row.direct.p50, 3)} | ${format(row.bare.p50, 3)} | ${format(row.through.p50, 3)} | ${format(row.through.p50 - row.direct.p50, 3)} | ${format(row.bare.p50 - row.direct.p50, 3)} | ${format(row.through.p99, 3)} | ${format(row.through.ttfbP50, 3)} |`,
    );
  }
  lines.push('');
  lines.push('Peak RSS (MB) while each row ran, sampled every 25 ms (the engine during its runs, the bare proxy during its runs):');
  lines.push('');
  lines.push('| Scenario | Conc. | Bare proxy | Switchyard | Switchyard − bare |');
  lines.push('|---|---|---|---|---|');
  for (const row of rows) {
    lines.push(`| ${row.scenario} | ${row.concurrency} | ${megabytes(row.barePeakRss)} | ${megabytes(row.enginePeakRss)} | ${megabytes(row.enginePeakRss - row.barePeakRss)} |`);
  }
  lines.push('');
  lines.push(`Peak RSS over the whole run (VmHWM): Switchyard engine ${megabytes(enginePeak)} MB, bare Node proxy ${megabytes(barePeak)} MB (the same V8 flags less --no-concurrent-recompilation); the engine with its usage ledger on (its rows only) ${megabytes(recordingPeak)} MB.`);
  lines.push('');
  const find = (prefix: string, concurrency: number) => rows.find((row) => row.scenario.startsWith(prefix) && row.concurrency === concurrency);
  const check = (label: string, ok: boolean | undefined, value: string) => lines.push(`${ok === undefined ? '  n/a ' : ok ? '  met ' : ' MISSED'} ${label}: ${value}`);
  const stream16 = find('streaming', 16);
  const plain1 = find('non-streaming', 1);
  const stream1 = find('streaming', 1);
  const translated16 = find('translated', 16);
  const translated1 = find('translated', 1);
  const added = (row: Row) => `${format(row.through.p50 - row.direct.p50, 3)} ms (the bare proxy adds ${format(row.bare.p50 - row.direct.p50, 3)} ms)`;
  lines.push('Targets (issue 2 and 3):');
  if (stream16) check('streaming req/s at c=16 through Switchyard >= 40% of direct', stream16.through.rps >= 0.4 * stream16.direct.rps, `${percent(stream16.through.rps, stream16.direct.rps)} (bare proxy ${percent(stream16.bare.rps, stream16.direct.rps)})`);
  if (plain1) check('added p50 at c=1 (non-streaming) < 0.3 ms', plain1.through.p50 - plain1.direct.p50 < 0.3, added(plain1));
  if (stream1) check('added p50 at c=1 (streaming) < 0.3 ms', stream1.through.p50 - stream1.direct.p50 < 0.3, added(stream1));
  check('peak RSS of the engine under load < 120 MB', Number.isFinite(enginePeak) ? enginePeak < 120 * 1024 * 1024 : undefined, `${format(enginePeak / 1024 / 1024, 1)} MB (bare proxy ${format(barePeak / 1024 / 1024, 1)} MB)`);
  if (translated16) check('translated streaming req/s at c=16 >= 30% of direct', translated16.through.rps >= 0.3 * translated16.direct.rps, `${percent(translated16.through.rps, translated16.direct.rps)} (bare proxy, untranslated, ${percent(translated16.bare.rps, translated16.direct.rps)})`);
  if (translated1) check('translated added p50 at c=1 < 0.5 ms', translated1.through.p50 - translated1.direct.p50 < 0.5, added(translated1));
  lines.push('Targets (issue 18):');
  for (const row of rows) {
    const translated = row.scenario.startsWith('translated');
    const share = translated ? 0.8 : 0.9;
    if (translated && row.concurrency === 1) continue;
    check(`${row.scenario} c=${row.concurrency} >= ${share * 100}% of the bare proxy`, row.through.rps >= share * row.bare.rps, percent(row.through.rps, row.bare.rps));
  }
  lines.push('Targets (issue 12):');
  for (const concurrency of [1, 16, 64]) {
    const plain = rows.find((row) => row.scenario === 'streaming, 50 chunks' && row.concurrency === concurrency);
    const recorded = rows.find((row) => row.scenario === 'streaming, 50 chunks, usage recorded' && row.concurrency === concurrency);
    if (plain && recorded) check(`usage recording costs <= 3% of streaming req/s at c=${concurrency}`, recorded.through.rps >= 0.97 * plain.through.rps, `${format((100 * (plain.through.rps - recorded.through.rps)) / plain.through.rps, 1)}% (${format(recorded.through.rps, 0)} vs ${format(plain.through.rps, 0)} req/s; wall clock, see cpu-bench.ts for CPU per request)`);
  }
  check('peak RSS of the engine <= the bare proxy + 10 MB', Number.isFinite(enginePeak) && Number.isFinite(barePeak) ? enginePeak <= barePeak + 10 * 1024 * 1024 : undefined, `${megabytes(enginePeak)} MB (bare proxy ${megabytes(barePeak)} MB)`);
  const text = lines.join('\n');
  process.stdout.write(`${text}\n`);
  if (jsonPath) {
    mkdirSync(dirname(jsonPath), { recursive: true });
    writeFileSync(jsonPath, JSON.stringify({ rows, enginePeak, barePeak, rounds, durationMs, warmupMs, node: process.version }, null, 2));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
