// The pure parts of `npm run soak` (run-soak.ts): its options, the traffic mix, the verdict and the table. No I/O
// here, so they are unit-tested (soak-verdict.test.ts); the run itself is a script, not a test, because its numbers
// depend on the machine.

export interface SoakOptions {
  /** How long the traffic runs, in seconds. */
  durationSeconds: number;
  /** Seconds between two samples of the engine's memory and in-flight count. */
  sampleSeconds: number;
  /** Client requests kept in flight at once. */
  concurrency: number;
  /** The run fails when the engine's RSS after the run exceeds its RSS after warm-up by more than this. */
  maxRssGrowthMb: number;
  /** The run fails when the engine's live heap (heapUsed right after a full GC) grows by more than this after warm-up. */
  maxHeapGrowthMb: number;
  seed: number;
  /** Where the JSON report goes (default: test-results/soak/soak-<time>.json). */
  json: string | undefined;
}

export const soakDefaults: SoakOptions = { durationSeconds: 180, sampleSeconds: 5, concurrency: 16, maxRssGrowthMb: 64, maxHeapGrowthMb: 16, seed: 15, json: undefined };

const usage = 'npm run soak -- [--duration seconds] [--sample-seconds N] [--concurrency N] [--max-rss-growth-mb N] [--max-heap-growth-mb N] [--seed N] [--json file]';

/** Reads the command line; throws a message naming the flag for anything it does not understand. */
export function parseSoakOptions(argv: readonly string[]): SoakOptions {
  const options = { ...soakDefaults };
  const numeric: Record<string, { key: 'durationSeconds' | 'sampleSeconds' | 'concurrency' | 'maxRssGrowthMb' | 'maxHeapGrowthMb' | 'seed'; min: number; max: number; whole?: boolean }> = {
    '--duration': { key: 'durationSeconds', min: 5, max: 14_400 },
    '--sample-seconds': { key: 'sampleSeconds', min: 0.5, max: 600 },
    '--concurrency': { key: 'concurrency', min: 1, max: 512, whole: true },
    '--max-rss-growth-mb': { key: 'maxRssGrowthMb', min: 1, max: 16_384 },
    '--max-heap-growth-mb': { key: 'maxHeapGrowthMb', min: 1, max: 16_384 },
    '--seed': { key: 'seed', min: 0, max: 2 ** 31, whole: true },
  };
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index]!;
    const value = argv[index + 1];
    if (flag === '--help' || flag === '-h') throw new Error(usage);
    if (flag === '--json') {
      if (value === undefined || value.startsWith('--')) throw new Error(`--json needs a file name. ${usage}`);
      options.json = value;
      index += 1;
      continue;
    }
    const spec = numeric[flag];
    if (!spec) throw new Error(`unknown option ${flag}. ${usage}`);
    const number = Number(value);
    if (value === undefined || !Number.isFinite(number) || number < spec.min || number > spec.max || (spec.whole && !Number.isInteger(number))) {
      throw new Error(`${flag} needs ${spec.whole ? 'a whole number' : 'a number'} from ${spec.min} to ${spec.max} (got ${value ?? 'nothing'}).`);
    }
    options[spec.key] = number;
    index += 1;
  }
  return options;
}

/** What one client request of the soak does; the fake provider reads the same name from the prompt. */
export type Scenario = 'ok' | 'stream' | 'translated' | 'abort-stream' | 'abort-waiting' | 'server-error' | 'rate-limited' | 'reset' | 'stall';

/** The mix: mostly normal traffic, with every kind of trouble a day of real use brings. Weights sum to 100. */
export const scenarioWeights: ReadonlyArray<readonly [Scenario, number]> = [
  ['ok', 28],
  ['stream', 18],
  ['translated', 10],
  ['abort-stream', 10],
  ['abort-waiting', 5],
  ['server-error', 10],
  ['rate-limited', 7],
  ['reset', 7],
  ['stall', 5],
];

/** A small seeded generator (mulberry32): the same seed gives the same traffic. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function pickScenario(random: () => number): Scenario {
  let roll = random() * 100;
  for (const [scenario, weight] of scenarioWeights) {
    if (roll < weight) return scenario;
    roll -= weight;
  }
  return 'ok';
}

/** One look at the engine: its memory (after a full GC) and what the guard holds. */
export interface SoakSample {
  /** Seconds since the traffic started. */
  at: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  inFlight: number;
  queued: number;
  /** Client requests finished so far. */
  completed: number;
}

/** What the client side saw, beyond memory: requests whose answer was not one their scenario allows. */
export interface SoakOutcomes {
  /** Answers outside what the scenario allows (5xx included). */
  unexpected: number;
  /** Of those, answers with a 5xx status. */
  unexpected5xx: number;
  /** Set when the engine process exited on its own during the run: how. */
  crashed?: string;
}

export interface SoakVerdict {
  ok: boolean;
  baseline: SoakSample;
  final: SoakSample;
  peakRss: number;
  rssGrowthMb: number;
  heapGrowthMb: number;
  problems: string[];
}

const mebibyte = 1024 * 1024;

/**
 * The baseline is the first sample after warm-up (a quarter of the run, at most 30 s: JIT, pools and caches have
 * filled by then); `final` is taken after the traffic stopped and the engine settled.
 */
export function judgeSoak(
  samples: readonly SoakSample[],
  final: SoakSample,
  options: Pick<SoakOptions, 'maxRssGrowthMb' | 'maxHeapGrowthMb' | 'durationSeconds'>,
  outcomes: SoakOutcomes = { unexpected: 0, unexpected5xx: 0 },
): SoakVerdict {
  const warmUp = Math.min(30, options.durationSeconds / 4);
  const baseline = samples.find((sample) => sample.at >= warmUp) ?? samples.at(-1) ?? final;
  const rssGrowthMb = (final.rss - baseline.rss) / mebibyte;
  const heapGrowthMb = (final.heapUsed - baseline.heapUsed) / mebibyte;
  const problems: string[] = [];
  if (rssGrowthMb > options.maxRssGrowthMb) {
    problems.push(`RSS grew by ${rssGrowthMb.toFixed(1)} MiB after warm-up (${mb(baseline.rss)} -> ${mb(final.rss)} MiB), more than the bound of ${options.maxRssGrowthMb} MiB`);
  }
  if (heapGrowthMb > options.maxHeapGrowthMb) {
    problems.push(`live heap grew by ${heapGrowthMb.toFixed(1)} MiB after warm-up (${mb(baseline.heapUsed)} -> ${mb(final.heapUsed)} MiB after a full GC), more than the bound of ${options.maxHeapGrowthMb} MiB`);
  }
  if (outcomes.crashed !== undefined) problems.push(`the engine process died during the run (${outcomes.crashed})`);
  if (outcomes.unexpected5xx > 0) problems.push(`${outcomes.unexpected5xx} unexpected 5xx answer(s)`);
  if (outcomes.unexpected > outcomes.unexpected5xx) problems.push(`${outcomes.unexpected - outcomes.unexpected5xx} other answer(s) their scenario does not allow`);
  if (final.inFlight !== 0) problems.push(`${final.inFlight} guard slot(s) still in flight after the traffic stopped (should be 0)`);
  if (final.queued !== 0) problems.push(`${final.queued} request(s) still queued after the traffic stopped (should be 0)`);
  if (final.completed === 0) problems.push('no request completed: the run measured nothing');
  const peakRss = Math.max(final.rss, ...samples.map((sample) => sample.rss));
  return { ok: problems.length === 0, baseline, final, peakRss, rssGrowthMb, heapGrowthMb, problems };
}

function mb(bytes: number): string {
  return (bytes / mebibyte).toFixed(1);
}

/** The samples as an aligned text table, one line per sample, for the terminal. */
export function formatSoakTable(samples: readonly SoakSample[]): string {
  const header = ['time', 'rss MiB', 'heap MiB', 'external MiB', 'in flight', 'queued', 'completed'];
  const rows = samples.map((sample) => [`${sample.at.toFixed(0)} s`, mb(sample.rss), mb(sample.heapUsed), mb(sample.external), String(sample.inFlight), String(sample.queued), String(sample.completed)]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padStart(widths[column]!)).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
