// Runs the real engine for the benchmark, with an Anthropic, an OpenAI-compatible and a Gemini provider, all pointing
// at the bench upstream. Prints `url <url>` once listening; on SIGTERM prints `peak-rss <bytes>` (VmHWM) and exits;
// on SIGUSR2 prints `stats {…}` (CPU time and garbage collections so far, bench-stats.ts). With
// BENCH_ALLOCATION_PROFILE=<file> it writes an allocation profile (garbage included) there on SIGTERM.
// With BENCH_DATA_DIR=<dir> the engine keeps its usage ledger there (usage.db), recording every request as `serve`
// does; without it nothing is recorded, so the two can be compared (docs/performance.md, "Usage recording").
import { readFileSync } from 'node:fs';
import { reportStatsOnSignal, sampleAllocationsIfAsked } from './bench-stats.ts';

// The engine is loaded the way `switchyard serve` loads it, behind a dynamic import (main/core/cli/switchyard.ts),
// so its bundled modules are initialised lazily as there; a static import would cost about 3 MB more resident memory
// (docs/performance.md, "Lever 10").
const { configSchema } = await import('../../shared/config/config-schema.ts');
const { Engine } = await import('../../main/core/engine.ts');
const { silentLogger } = await import('../../main/core/logging/logger.ts');

const upstream = process.env.BENCH_UPSTREAM!;
const engine = await Engine.create({
  config: configSchema.parse({
    providers: [
      { id: 'claude', type: 'anthropic', baseUrl: upstream, keys: [{ id: 'k', secret: { env: 'BENCH_KEY' } }] },
      { id: 'oai', type: 'openai-compatible', baseUrl: `${upstream}/v1`, keys: [{ id: 'k', secret: { env: 'BENCH_KEY' } }] },
      { id: 'gem', type: 'gemini', baseUrl: upstream, keys: [{ id: 'k', secret: { env: 'BENCH_KEY' } }] },
    ],
  }),
  local: { clientKey: 'sy-bench-client-key-000000000000', managementToken: 'sym-bench-management-token-00000' },
  env: { BENCH_KEY: 'sk-bench-upstream-key-0000000000000' },
  logger: silentLogger(),
  ...(process.env.BENCH_DATA_DIR ? { dataDir: process.env.BENCH_DATA_DIR } : {}),
});
const { url } = await engine.start({ host: '127.0.0.1', port: 0 });
process.stdout.write(`url ${url}\n`);

function peakRss(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : process.memoryUsage().rss;
}
reportStatsOnSignal();
const writeAllocationProfile = sampleAllocationsIfAsked();
process.on('SIGTERM', () => {
  process.stdout.write(`peak-rss ${peakRss()}\n`);
  void writeAllocationProfile()
    .then(() => engine.stop(1000))
    .finally(() => process.exit(0));
});
