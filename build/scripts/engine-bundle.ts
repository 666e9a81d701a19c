import { build } from 'esbuild';

/**
 * How the engine runs outside of tests: one esbuild bundle, started with V8 flags that suit a proxy.
 * - A bundle, not the .ts sources: Node's built-in type stripping loads a TypeScript parser that alone costs
 *   ~55 MB of resident memory (measured; docs/performance.md).
 * - `--optimize-for-size`: the engine's live heap is small (~15 MB) but it allocates fast (every chunk of every
 *   stream); by default V8 lets the heap grow far beyond what is live on a machine with lots of RAM.
 * - `--max-semi-space-size=4` caps the young generation, which V8 otherwise sizes from total system memory.
 * - No `--enable-source-maps` by default: it keeps the 4 MB source map in memory (~7 MB RSS). For stack traces that
 *   point at the TypeScript sources, run with NODE_OPTIONS=--enable-source-maps (the map is always written).
 * The desktop app runs the engine in Electron's main process, whose V8 flags can only be given on the command line
 * at launch (appending js-flags at run time reaches renderers only), so there the engine runs with Electron's own
 * defaults.
 */
export const engineNodeFlags = ['--optimize-for-size', '--max-semi-space-size=4'];

export async function bundleEngine(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    sourcemap: true,
    logLevel: 'warning',
    // Native modules stay outside the bundle; the engine itself does not load them.
    external: ['keytar', 'better-sqlite3', 'electron'],
    // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
    banner: { js: "import { createRequire as __switchyardCreateRequire } from 'node:module'; const require = __switchyardCreateRequire(import.meta.url);" },
  });
}
