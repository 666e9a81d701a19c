import { build } from 'esbuild';

/**
 * How the engine runs outside of tests: one esbuild bundle, started with V8 flags that suit a proxy
 * (measurements in docs/performance.md).
 * - A bundle, not the .ts sources: Node's built-in type stripping loads a TypeScript parser that alone costs
 *   ~55 MB of resident memory.
 * - `--max-semi-space-size=4` caps the young generation, which V8 otherwise sizes from total system memory
 *   (24 GiB machines get huge semi-spaces for a proxy whose live heap is ~14 MB).
 * - `--heap-growing-percent=10` keeps the old generation close to what is live instead of letting it grow several
 *   times larger between major GCs. (`--optimize-for-size` saves a few MB more but halves translation throughput.)
 * - `--no-allocation-site-pretenuring`: V8 otherwise notices that objects from some allocation sites (request and
 *   header objects, stream state) often survive a young-generation collection, because at any moment a few requests
 *   are in flight, and starts allocating them straight in the old generation. There they die with their request and
 *   only a full collection frees them: 1.3-1.65 full GCs per 1000 requests with it, 0.4-0.5 without, and engine CPU
 *   per translated stream 203 -> 153 us, peak RSS +0 to +4 MB (docs/performance.md, "Lever 11").
 * - `--no-concurrent-recompilation`: TurboFan optimises hot functions on the main thread instead of on V8's worker
 *   threads, whose malloc arenas otherwise keep the compilers' memory long after the compiles: peak RSS over a bench
 *   run 139-147 MB -> 128 MB, CPU per request unchanged (docs/performance.md, "Lever 7"). The price is that a function
 *   being optimised holds its request for the compile, a few ms at most and mostly during warm-up.
 * - The bundle is pure ASCII, its whitespace and comments minified (names are kept, so stack traces stay readable):
 *   Node keeps a module's source in memory for as long as the module lives, at one byte per character when the file
 *   is ASCII and two otherwise, and one curly quote in one comment of a dependency was enough to double the engine's
 *   2.8 MB. esbuild escapes non-ASCII characters in strings (`charset: 'ascii'`) but not in regular expression
 *   literals, so the sources write those as \u escapes; licence comments go to `<bundle>.LEGAL.txt` beside it.
 *   Anonymous RSS at idle 38.3 -> 35.0 MB (docs/performance.md, "Lever 10"). engine-bundle.test.ts checks that it stays ASCII.
 * - No `--enable-source-maps` by default: it keeps the 4 MB source map in memory (~7 MB RSS). For stack traces that
 *   point at the TypeScript sources, run with NODE_OPTIONS=--enable-source-maps (the map is always written).
 * The desktop app runs the engine in Electron's main process, whose V8 flags can only be given on the command line
 * at launch (appending js-flags at run time reaches renderers only), so there the engine runs with Electron's own
 * defaults.
 */
export const engineNodeFlags = ['--max-semi-space-size=4', '--heap-growing-percent=10', '--no-allocation-site-pretenuring', '--no-concurrent-recompilation'];

/**
 * The flags of the bench's bare Node proxy (test/bench/bench-bare-proxy.ts), the floor Switchyard is measured
 * against: the engine's, less `--no-concurrent-recompilation`. That flag costs the engine no throughput, but a bare
 * proxy that is not CPU-bound loses 7-30% of its req/s to it (main-thread compiles add to its latency), which would
 * lower the floor and flatter every ratio to it (docs/performance.md, "Lever 7").
 */
export function bareProxyFlags(flags: readonly string[]): string[] {
  return flags.filter((flag) => flag !== '--no-concurrent-recompilation');
}

/**
 * Packages whose `main` is a UMD build that require()s its own files at run time, which a bundle cannot follow: the
 * bundles take their ESM build instead (jsonc-parser, used to edit tools' settings.json in `clients` and the dashboard).
 */
export const bundleAliases = { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' };

/**
 * Bundles an engine entry (or, with `compact: false`, the bench's bare proxy) into one ESM file.
 * `compact: false` leaves whitespace and comments as they are: the bare proxy, minified the same way, lost 30-45% of
 * its req/s at c>=16 in `npm run bench` (five runs, cause not found), while the engine did not; the floor the engine is
 * measured against is kept at its fastest (docs/performance.md, "Lever 10").
 */
export async function bundleEngine(entry: string, outfile: string, { compact = true }: { compact?: boolean } = {}): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    sourcemap: true,
    minifyWhitespace: compact,
    charset: 'ascii',
    legalComments: compact ? 'external' : 'eof',
    logLevel: 'warning',
    // Native modules stay outside the bundle; the engine itself does not load them.
    external: ['keytar', 'better-sqlite3', 'electron'],
    alias: bundleAliases,
    // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
    banner: { js: "import { createRequire as __switchyardCreateRequire } from 'node:module'; const require = __switchyardCreateRequire(import.meta.url);" },
  });
}
