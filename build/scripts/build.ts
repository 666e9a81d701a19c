// `npm run build`: everything the desktop app loads, into dist/ (package.json "main" is dist/main/app.js):
//   dist/renderer/        the dashboard: `vite build --config renderer/vite.config.ts`
//   dist/main/app.js      the Electron main process (main/app + the engine), one ESM bundle
//   dist/preload/preload.cjs  the window's preload, one CommonJS file (sandboxed preloads cannot load modules)
//   dist/assets/          tray images and the window icon, copied from build/
// Native modules (keytar, better-sqlite3) and 'electron' stay outside the bundles; electron-builder ships them
// unpacked next to app.asar (electron-builder.yml).
import { spawn } from 'node:child_process';
import { copyFile, cp, mkdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleAliases } from './engine-bundle.ts';

export const nativeModules = ['keytar', 'better-sqlite3'];

export interface BuildOptions {
  root?: string;
  log?: (line: string) => void;
  /** Skip the renderer (tests of the main bundles). */
  skipRenderer?: boolean;
}

export interface BuildOutcome {
  renderer: 'built' | 'skipped';
  files: string[];
}

function runVite(root: string, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
    const child = spawn(process.execPath, [vite, 'build', '--config', join('renderer', 'vite.config.ts')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 5 * 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const text = output.join('').trim();
      if (code === 0) {
        if (text) log(text);
        resolve();
      } else reject(new Error(`vite build failed (${signal ?? `exit ${code}`}):\n${text}`));
    });
  });
}

/** A sandboxed preload may only require 'electron': anything else would fail at run time, so fail the build. */
export async function checkPreloadRequires(file: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const required = [...text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]!);
  const unexpected = required.filter((name) => name !== 'electron');
  if (unexpected.length > 0) throw new Error(`${file} requires ${unexpected.join(', ')}; a sandboxed preload can only require 'electron'`);
}

export async function buildApp(options: BuildOptions = {}): Promise<BuildOutcome> {
  const root = options.root ?? join(import.meta.dirname, '..', '..');
  const log = options.log ?? ((line: string) => console.log(line));
  const dist = join(root, 'dist');
  // Only what this script writes: dist/serve (npm run serve) and others' outputs stay.
  for (const folder of ['main', 'preload', 'assets']) await rm(join(dist, folder), { recursive: true, force: true });

  let renderer: BuildOutcome['renderer'] = 'skipped';
  if (options.skipRenderer) {
    log('renderer: skipped on request');
  } else if (!existsSync(join(root, 'renderer', 'vite.config.ts'))) {
    log('renderer: renderer/vite.config.ts does not exist yet, so the dashboard is not built; the window will say so');
  } else {
    await runVite(root, log);
    if (!existsSync(join(dist, 'renderer', 'index.html'))) throw new Error('vite build finished but dist/renderer/index.html is missing; renderer/vite.config.ts must write to dist/renderer');
    renderer = 'built';
    log('renderer: dist/renderer');
  }

  await build({
    entryPoints: [join(root, 'main', 'app', 'app.ts')],
    outfile: join(dist, 'main', 'app.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    sourcemap: 'linked',
    logLevel: 'warning',
    external: ['electron', ...nativeModules],
    alias: bundleAliases,
    // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
    banner: { js: "import { createRequire as __switchyardCreateRequire } from 'node:module'; const require = __switchyardCreateRequire(import.meta.url);" },
  });
  log('main: dist/main/app.js');

  const preload = join(dist, 'preload', 'preload.cjs');
  await build({
    entryPoints: [join(root, 'preload', 'preload.ts')],
    outfile: preload,
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: 'chrome130',
    // The contract's zod schemas come along with the channel list; minified, they cost the window little to parse.
    minify: true,
    sourcemap: false,
    logLevel: 'warning',
    external: ['electron'],
  });
  await checkPreloadRequires(preload);
  log('preload: dist/preload/preload.cjs');

  await mkdir(join(dist, 'assets'), { recursive: true });
  await cp(join(root, 'build', 'tray'), join(dist, 'assets', 'tray'), { recursive: true });
  await copyFile(join(root, 'build', 'icons', '256x256.png'), join(dist, 'assets', 'icon.png'));
  log('assets: dist/assets (tray images, window icon)');

  const files = ['main/app.js', 'preload/preload.cjs', 'assets/icon.png', 'assets/tray/tray-healthy.png'];
  if (renderer === 'built') files.push('renderer/index.html');
  return { renderer, files };
}

if (import.meta.main) {
  const started = performance.now();
  buildApp().then(
    (outcome) => console.log(`built in ${Math.round(performance.now() - started)} ms${outcome.renderer === 'skipped' ? ' (without the dashboard)' : ''}`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
