// What one request costs the engine in CPU time and garbage, A/B between builds (docs/performance.md, "CPU per
// request"). Wall-clock req/s on a shared machine swing by ±40%; the CPU time the engine process spends per request
// is disturbed far less by other load, so levers are compared on it. Builds are bundles of the engine made with
// --build from the working tree at the time (keep one from before a change, one after), measured in interleaved
// repetitions (A B, B A, A B, ...) against the same fake provider, each repetition N requests at concurrency C.
//   node test/bench/cpu-bench.ts --build before        # bundle the current tree as dist/bench/cpu-before.mjs
//   node test/bench/cpu-bench.ts --engines before,after [--scenario anthropic-to-openai] [--requests 3000]
//        [--concurrency 16] [--repeats 5] [--bare] [--translating] [--cpu-prof <dir> [--cpu-prof-interval <µs>]] [--allocation-prof <dir>] [--json <file>]
// --bare adds the bare Node proxy (bench-bare-proxy.ts) as a reference; --translating (translated scenarios only) adds
// the bare proxy plus the engine's stream translator and nothing else (bench-translating-proxy.ts): what translation
// alone costs a proxy. --cpu-prof writes a V8 CPU profile per build, --allocation-prof a sampled profile of every
// allocation, garbage included (the engine builds only; it slows them down, so their CPU figures do not count); read
// either with profile-top.ts.
// A label `<build>+usage` runs bundle <build> with a usage ledger in a fresh temp folder (every request recorded, as
// `serve` does); a plain label runs it without one, so `--engines head,head+usage` prices the recording alone.
// `<build>@<variant>` runs build <build> with the V8 flags in the environment variable BENCH_FLAGS_<variant>:
//   BENCH_FLAGS_semi8="--max-semi-space-size=8 --no-concurrent-recompilation" ... --engines head,head@semi8
// `--build-bare bare-<label>` bundles the bare proxy instead; such labels run as bare proxies (its flags, its leg), so
// a change to the bundling can be priced on the floor too: `--engines bare-before,bare-after`.
// Scenarios: bench-scenarios.ts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Pool } from 'undici';
import { bareProxyFlags, bundleEngine, engineNodeFlags } from '../../build/scripts/engine-bundle.ts';
import { launch, lineReader } from './bench-processes.ts';
import { scenarios, type Leg } from './bench-scenarios.ts';
import { peakResidentBytes, residentBytes, systemCalls } from './process-sampler.ts';

const here = import.meta.dirname;
const distDir = join(here, '..', '..', 'dist', 'bench');
const args = process.argv.slice(2);
const option = (name: string) => {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
};

interface Stats {
  cpuMicros: number;
  systemMicros: number;
  scavenges: number;
  markCompacts: number;
  gcMillis: number;
  heapUsed: number;
  rss: number;
}

interface Measurement {
  cpuMicrosPerRequest: number;
  /** The kernel's share of cpuMicrosPerRequest (system calls: the socket writes and reads above all). */
  systemMicrosPerRequest: number;
  scavengesPer1000: number;
  markCompactsPer1000: number;
  gcMicrosPerRequest: number;
  requestsPerSecond: number;
  bytesPerRequest: number;
  rss: number;
  readCallsPerRequest: number;
  writeCallsPerRequest: number;
}

/** Sends `count` requests, `concurrency` at a time, each read to its end; throws on any failure (a broken build). */
async function drive(pool: Pool, leg: Leg, count: number, concurrency: number): Promise<{ bytes: number; millis: number }> {
  const [path, headers, body] = leg;
  const bytesBody = Buffer.from(JSON.stringify(body));
  let started = 0;
  let bytes = 0;
  const began = performance.now();
  const worker = async () => {
    while (started < count) {
      started += 1;
      const response = await pool.request({ path, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: bytesBody });
      for await (const chunk of response.body) bytes += (chunk as Buffer).length;
      if (response.statusCode !== 200) throw new Error(`${path}: status ${response.statusCode}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { bytes, millis: performance.now() - began };
}

interface Subject {
  label: string;
  leg: Leg;
  pool: Pool;
  pid: number;
  stats(): Promise<Stats>;
  stop(): Promise<void>;
}

/** Node flags that write a CPU profile of one build into the given folder. */
function profileFlags(label: string, cpuDir: string | undefined): string[] {
  return [
    ...(cpuDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuDir}`, `--cpu-prof-name=${label}.cpuprofile`] : []),
    // V8 samples every 1000 µs by default: too coarse for sites that cost a few µs per request.
    ...(cpuDir && option('--cpu-prof-interval') ? [`--cpu-prof-interval=${option('--cpu-prof-interval')}`] : []),
  ];
}

/** The bare proxy (`--bare`), or a build of it made with `--build-bare <label>` (labels start with "bare-"). */
const isBare = (label: string) => label === 'bare-proxy' || label.startsWith('bare-');
/** A label without its `@<variant>` (V8 flags) suffix. */
const withoutVariant = (label: string) => label.replace(/@[\w-]+$/, '');

/**
 * The V8 flags of a label: `<build>@<variant>` runs the bundle of <build> with the flags in BENCH_FLAGS_<variant>
 * (space-separated, instead of the usual ones), so flag sets can be compared on one build; otherwise the engine's
 * flags, or the bare proxy's.
 */
function flagsOf(label: string): string[] {
  const variant = /@([\w-]+)$/.exec(label)?.[1];
  if (variant !== undefined) {
    const given = process.env[`BENCH_FLAGS_${variant}`];
    if (given === undefined) throw new Error(`label ${label}: set BENCH_FLAGS_${variant} to the V8 flags of variant "${variant}"`);
    return given.split(' ').filter(Boolean);
  }
  return isBare(label) ? bareProxyFlags(engineNodeFlags) : engineNodeFlags;
}

async function start(label: string, bundle: string, upstreamUrl: string, leg: Leg, concurrency: number, usage = false, env: Record<string, string> = {}): Promise<Subject> {
  const flags = [...flagsOf(label), ...profileFlags(label, option('--cpu-prof'))];
  const allocationDir = option('--allocation-prof');
  const dataDir = usage || withoutVariant(label).endsWith('+usage') ? mkdtempSync(join(tmpdir(), 'switchyard-bench-usage-')) : undefined;
  const child = launch(
    bundle,
    1,
    { BENCH_UPSTREAM: upstreamUrl, ...(allocationDir ? { BENCH_ALLOCATION_PROFILE: join(allocationDir, `${label}.heapprofile`) } : {}), ...(dataDir ? { BENCH_DATA_DIR: dataDir } : {}), ...env },
    flags,
  );
  const lines = lineReader(child);
  const url = await lines.next('url ');
  const pool = new Pool(url, { connections: concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
  return {
    label,
    leg,
    pool,
    pid: child.pid!,
    async stats() {
      const line = lines.next('stats ');
      child.kill('SIGUSR2');
      return JSON.parse(await line) as Stats;
    },
    async stop() {
      await pool.close();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      lines.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function measure(subject: Subject, requests: number, concurrency: number): Promise<Measurement> {
  const before = await subject.stats();
  const callsBefore = systemCalls(subject.pid);
  const run = await drive(subject.pool, subject.leg, requests, concurrency);
  const callsAfter = systemCalls(subject.pid);
  const after = await subject.stats();
  return {
    cpuMicrosPerRequest: (after.cpuMicros - before.cpuMicros) / requests,
    systemMicrosPerRequest: (after.systemMicros - before.systemMicros) / requests,
    scavengesPer1000: ((after.scavenges - before.scavenges) * 1000) / requests,
    markCompactsPer1000: ((after.markCompacts - before.markCompacts) * 1000) / requests,
    gcMicrosPerRequest: ((after.gcMillis - before.gcMillis) * 1000) / requests,
    requestsPerSecond: requests / (run.millis / 1000),
    bytesPerRequest: run.bytes / requests,
    rss: after.rss,
    readCallsPerRequest: (callsAfter.reads - callsBefore.reads) / requests,
    writeCallsPerRequest: (callsAfter.writes - callsBefore.writes) / requests,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
const spread = (values: number[]) => `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`;

async function main(): Promise<void> {
  const bareBuild = option('--build-bare');
  if (bareBuild) {
    if (!isBare(bareBuild)) throw new Error('--build-bare <label>: the label must start with "bare-"');
    await bundleEngine(join(here, 'bench-bare-proxy.ts'), join(distDir, `cpu-${bareBuild}.mjs`), { compact: false });
    process.stdout.write(`built ${join(distDir, `cpu-${bareBuild}.mjs`)}\n`);
    return;
  }
  const build = option('--build');
  if (build) {
    await bundleEngine(join(here, 'bench-engine.ts'), join(distDir, `cpu-${build}.mjs`));
    process.stdout.write(`built ${join(distDir, `cpu-${build}.mjs`)}\n`);
    return;
  }
  const scenario = scenarios.find((candidate) => candidate.id === (option('--scenario') ?? 'anthropic-to-openai'));
  if (!scenario) throw new Error(`unknown --scenario; one of ${scenarios.map((candidate) => candidate.id).join(', ')}`);
  const engines = (option('--engines') ?? '').split(',').filter(Boolean);
  if (engines.length === 0) throw new Error('--engines <label>[,<label>...] (bundles made with --build <label>)');
  const requests = Number(option('--requests') ?? 3000);
  const concurrency = Number(option('--concurrency') ?? 16);
  const repeats = Number(option('--repeats') ?? 5);
  const allocationDir = option('--allocation-prof');
  if (allocationDir) mkdirSync(allocationDir, { recursive: true });
  const jsonPath = option('--json');

  const upstream = launch('bench-upstream.ts', 0);
  const upstreamUrl = `http://127.0.0.1:${await lineReader(upstream).next('port ')}`;
  const subjects: Subject[] = [];
  try {
    for (const label of engines) {
      const bundle = join(distDir, `cpu-${withoutVariant(label).replace(/\+usage$/, '')}.mjs`);
      subjects.push(await start(label, bundle, upstreamUrl, isBare(label) ? scenario.reference : scenario.switchyard, concurrency, !isBare(label) && scenario.usage === true));
    }
    if (args.includes('--bare')) {
      await bundleEngine(join(here, 'bench-bare-proxy.ts'), join(distDir, 'bench-bare-proxy.mjs'), { compact: false });
      subjects.push(await start('bare-proxy', join(distDir, 'bench-bare-proxy.mjs'), upstreamUrl, scenario.reference, concurrency));
    }
    if (args.includes('--translating')) {
      if (!scenario.translation) throw new Error(`--translating: scenario ${scenario.id} is not translated`);
      await bundleEngine(join(here, 'bench-translating-proxy.ts'), join(distDir, 'bench-translating-proxy.mjs'), { compact: false });
      subjects.push(await start('bare-translating', join(distDir, 'bench-translating-proxy.mjs'), upstreamUrl, scenario.reference, concurrency, false, { BENCH_TRANSLATE: scenario.translation }));
    }
    // Resident memory before any request: code, modules and start-up state, which every later figure includes.
    const idle = new Map(subjects.map((subject) => [subject.label, residentBytes(subject.pid)]));
    for (const subject of subjects) await drive(subject.pool, subject.leg, Math.max(1000, requests / 2), concurrency); // warm-up: JIT, pools
    const results = new Map<string, Measurement[]>(subjects.map((subject) => [subject.label, []]));
    for (let repeat = 0; repeat < repeats; repeat += 1) {
      const order = repeat % 2 === 0 ? subjects : [...subjects].reverse();
      for (const subject of order) results.get(subject.label)!.push(await measure(subject, requests, concurrency));
      process.stderr.write(`  repeat ${repeat + 1}/${repeats}: ${subjects.map((subject) => `${subject.label} ${results.get(subject.label)!.at(-1)!.cpuMicrosPerRequest.toFixed(1)} µs`).join(', ')}\n`);
    }
    const memory = new Map(subjects.map((subject) => [subject.label, { idle: idle.get(subject.label)!, peak: peakResidentBytes(subject.pid) }]));
    report(scenario.name, requests, concurrency, repeats, results, memory, jsonPath);
  } finally {
    await Promise.all(subjects.map((subject) => subject.stop()));
    upstream.kill('SIGTERM');
  }
}

function report(
  scenario: string,
  requests: number,
  concurrency: number,
  repeats: number,
  results: Map<string, Measurement[]>,
  memory: Map<string, { idle: number; peak: number }>,
  jsonPath: string | undefined,
): void {
  const megabytes = (bytes: number) => (bytes / 1048576).toFixed(1);
  const lines = [
    `CPU per request — ${scenario}; ${repeats} interleaved repetitions of ${requests} requests at concurrency ${concurrency}; median (min–max)`,
    '',
    '| Build | Engine CPU µs/request | of which kernel | Young-generation GCs per 1000 requests | Full GCs per 1000 | GC µs/request | Write / read system calls per request | req/s (wall clock, noisy) | Bytes/answer | RSS MB at end | Idle RSS MB (before any request) | Peak RSS MB (VmHWM) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [label, values] of results) {
    const pick = (key: keyof Measurement) => values.map((value) => value[key]);
    lines.push(
      `| ${label} | ${median(pick('cpuMicrosPerRequest')).toFixed(1)} (${spread(pick('cpuMicrosPerRequest'))}) | ${median(pick('systemMicrosPerRequest')).toFixed(1)} | ${median(pick('scavengesPer1000')).toFixed(1)} (${spread(pick('scavengesPer1000'))}) | ${median(pick('markCompactsPer1000')).toFixed(2)} | ${median(pick('gcMicrosPerRequest')).toFixed(1)} | ${median(pick('writeCallsPerRequest')).toFixed(2)} / ${median(pick('readCallsPerRequest')).toFixed(2)} | ${median(pick('requestsPerSecond')).toFixed(0)} | ${median(pick('bytesPerRequest')).toFixed(0)} | ${megabytes(median(pick('rss')))} | ${megabytes(memory.get(label)!.idle)} | ${megabytes(memory.get(label)!.peak)} |`,
    );
  }
  const [first, ...others] = [...results.entries()];
  for (const [label, values] of others) {
    // Paired by repetition: each pair ran back to back, so the machine's drift mostly cancels out in the ratio.
    const ratios = values.map((value, index) => value.cpuMicrosPerRequest / first![1][index]!.cpuMicrosPerRequest);
    lines.push('', `${label} / ${first![0]}: CPU per request ×${median(ratios).toFixed(3)} (paired repetitions ${ratios.map((ratio) => ratio.toFixed(3)).join(', ')})`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (jsonPath) {
    mkdirSync(dirname(jsonPath), { recursive: true });
    writeFileSync(jsonPath, JSON.stringify({ scenario, requests, concurrency, repeats, results: Object.fromEntries(results), memory: Object.fromEntries(memory) }, null, 2));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`cpu-bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
