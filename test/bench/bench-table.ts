// Turns saved `npm run bench -- --json <file>` results into the figures table of docs/performance.md, one column
// value per run ("run 1 / run 2"), so the docs quote measured numbers rather than hand-copied ones.
//   node test/bench/bench-table.ts test-results/run-1.json test-results/run-2.json
import { readFileSync } from 'node:fs';

interface Result {
  rps: number;
  p50: number;
}
interface Saved {
  /** enginePeakRss / barePeakRss: per-row peaks, in results saved since the per-scenario RSS sampling (absent before). */
  rows: Array<{ scenario: string; concurrency: number; direct: Result; bare: Result; through: Result; enginePeakRss?: number; barePeakRss?: number }>;
  enginePeak: number;
  barePeak: number;
}

const runs = process.argv.slice(2).map((file) => JSON.parse(readFileSync(file, 'utf8')) as Saved);
if (runs.length === 0) {
  process.stderr.write('usage: node test/bench/bench-table.ts <bench.json> [<bench.json> ...]\n');
  process.exit(2);
}
const count = (value: number) => Math.round(value).toLocaleString('en-US');
const ratio = (part: number, whole: number) => `${Math.round((100 * part) / whole)}%`;
const ms = (value: number) => value.toFixed(2);
const megabytes = (bytes: number | undefined) => (bytes === undefined || !Number.isFinite(bytes) ? 'n/a' : (bytes / 1048576).toFixed(1));
/** The runner's scenario names, shortened for the docs table (older results name only one translated scenario). */
const shortName = (scenario: string) =>
  scenario
    .replace(/^translated streaming \((.+)\), 50 chunks$/, 'translated ($1), streaming')
    .replace(' -> ', ', ');
const each = (pick: (run: Saved, index: number) => string, index: number) => runs.map((run) => pick(run, index)).join(' / ');

const lines = [
  '| Scenario | Conc. | Direct req/s | Bare proxy req/s | Switchyard req/s | Switchyard / direct | Switchyard / bare | Added p50 ms (bare adds) | Peak RSS MB (bare) |',
  '|---|---|---|---|---|---|---|---|---|',
];
runs[0]!.rows.forEach((first, index) => {
  const name = shortName(first.scenario);
  const row = (run: Saved) => run.rows[index]!;
  lines.push(
    [
      '',
      name,
      first.concurrency,
      each((run) => count(row(run).direct.rps), index),
      each((run) => count(row(run).bare.rps), index),
      each((run) => count(row(run).through.rps), index),
      each((run) => ratio(row(run).through.rps, row(run).direct.rps), index),
      each((run) => ratio(row(run).through.rps, row(run).bare.rps), index),
      each((run) => `${ms(row(run).through.p50 - row(run).direct.p50)} (${ms(row(run).bare.p50 - row(run).direct.p50)})`, index),
      each((run) => `${megabytes(row(run).enginePeakRss)} (${megabytes(row(run).barePeakRss)})`, index),
      '',
    ].join(' | ').trim(),
  );
});
lines.push('');
lines.push(
  `Peak RSS of the engine over a whole run: ${runs.map((run) => (run.enginePeak / 1048576).toFixed(1)).join(' / ')} MB ` +
    `(bare proxy ${runs.map((run) => (run.barePeak / 1048576).toFixed(1)).join(' / ')} MB).`,
);
process.stdout.write(`${lines.join('\n')}\n`);
