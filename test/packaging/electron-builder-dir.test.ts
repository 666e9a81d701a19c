import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../build/scripts/build.ts';

// Packs the app the way `npm run dist` does, for Linux as an unpacked folder, and looks inside. There is no
// Electron binary on these machines (its download host is unreachable), so electronDist points at a stub folder
// whose "electron" is a shell script carrying Electron's fuse wire; electron-builder copies and renames it and
// flips its fuses exactly as it would the real binary. Nothing is downloaded: `--linux dir` needs no packaging tool.

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const fuseSentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Fuse states as bytes on the wire ('0' and '1'); @electron/fuses does not export its constants. */
const FuseState = { DISABLE: 48, ENABLE: 49 } as const;

let work: string;
let appDir: string;
let asar: string;
let builderOutput = '';

/** Electron's default fuse states, in wire order (what a fresh Electron 45 binary carries). */
const defaultWire = [FuseState.ENABLE, FuseState.DISABLE, FuseState.ENABLE, FuseState.ENABLE, FuseState.DISABLE, FuseState.DISABLE, FuseState.DISABLE, FuseState.ENABLE];

async function makeStubElectron(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const script = Buffer.from(`#!/bin/sh\necho "stub Electron: there is no real Electron binary on this machine" >&2\nexit 1\n# fuse wire: ${fuseSentinel}`);
  await writeFile(join(folder, 'electron'), Buffer.concat([script, Buffer.from([1, defaultWire.length, ...defaultWire]), Buffer.from('\n')]));
  await chmod(join(folder, 'electron'), 0o755);
  await writeFile(join(folder, 'version'), JSON.parse(await readFile(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version);
  await writeFile(join(folder, 'LICENSE'), 'stub');
  await writeFile(join(folder, 'LICENSES.chromium.html'), 'stub');
}

beforeAll(async () => {
  // `npm test` builds first (test/run-tests.sh); build here only when something is missing, e.g. a lone run.
  const needed = ['dist/main/app.js', 'dist/preload/preload.cjs', 'dist/renderer/index.html'];
  if (needed.some((file) => !existsSync(join(root, file)))) await buildApp({ root, log: () => {} });

  work = await mkdtemp(join(tmpdir(), 'switchyard-pack-'));
  const stub = join(work, 'electron-stub');
  await makeStubElectron(stub);
  const output = join(work, 'release');
  const { stdout, stderr } = await run(
    process.execPath,
    [
      join(root, 'node_modules', 'electron-builder', 'cli.js'),
      '--linux',
      'dir',
      '--config',
      'electron-builder.yml',
      `-c.electronDist=${stub}`,
      `-c.directories.output=${output}`,
      '--publish',
      'never',
    ],
    { cwd: root, timeout: 240_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false', ELECTRON_BUILDER_CACHE: join(work, 'cache') } },
  );
  builderOutput = `${stdout}\n${stderr}`;
  appDir = join(output, 'linux-unpacked');
  asar = join(appDir, 'resources', 'app.asar');
}, 280_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('electron-builder --linux dir', () => {
  it('names the executable and flips the hardening fuses', async () => {
    const executable = join(appDir, 'switchyard');
    expect((await stat(executable)).mode & 0o111).not.toBe(0);
    const wire = await getCurrentFuseWire(executable);
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
  });

  it('puts main, preload, renderer and assets in app.asar, and package.json points at the main bundle', () => {
    const files = listPackage(asar, { isPack: false }).map((file) => file.replaceAll('\\', '/'));
    for (const wanted of ['/package.json', '/dist/main/app.js', '/dist/preload/preload.cjs', '/dist/renderer/index.html', '/dist/assets/icon.png']) {
      expect(files, wanted).toContain(wanted);
    }
    expect(files.some((file) => /^\/dist\/renderer\/assets\/.+\.js$/.test(file))).toBe(true);
    for (const mood of ['starting', 'healthy', 'degraded', 'paused', 'failed']) {
      for (const variant of ['', '@2x', 'Template', 'Template@2x']) expect(files).toContain(`/dist/assets/tray/tray-${mood}${variant}.png`);
    }
    const manifest = JSON.parse(extractFile(asar, 'package.json').toString('utf8')) as { main: string; type: string };
    expect(files).toContain(`/${manifest.main}`);
    expect(manifest.type).toBe('module');
  });

  it('leaves out source maps, sources and bundled dependencies', () => {
    const files = listPackage(asar, { isPack: false }).map((file) => file.replaceAll('\\', '/'));
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(files.filter((file) => file.startsWith('/main/') || file.startsWith('/shared/') || file.startsWith('/renderer/') || file.startsWith('/test/'))).toEqual([]);
    const packages = new Set(files.filter((file) => file.startsWith('/node_modules/')).map((file) => file.split('/')[2]));
    expect([...packages].sort()).toEqual(['better-sqlite3', 'keytar']);
  });

  it('unpacks the native modules next to app.asar', () => {
    const unpacked = join(appDir, 'resources', 'app.asar.unpacked', 'node_modules');
    expect(existsSync(join(unpacked, 'keytar', 'build', 'Release', 'keytar.node'))).toBe(true);
    expect(existsSync(join(unpacked, 'keytar', 'lib', 'keytar.js'))).toBe(true);
    expect(existsSync(join(unpacked, 'better-sqlite3', 'lib', 'index.js'))).toBe(true);
    expect(existsSync(join(unpacked, 'better-sqlite3', 'prebuilds', `linux-${process.arch}.node`))).toBe(true);
    // Only this platform's prebuild travels with the Linux build.
    expect(existsSync(join(unpacked, 'better-sqlite3', 'prebuilds', 'win32-x64.node'))).toBe(false);
    // The archive's own index marks them unpacked, so Electron reads them from disk.
    expect(statFile(asar, 'node_modules/keytar/build/Release/keytar.node')).toMatchObject({ unpacked: true });
    expect(statFile(asar, `node_modules/better-sqlite3/prebuilds/linux-${process.arch}.node`)).toMatchObject({ unpacked: true });
  });

  it('downloaded nothing', () => {
    expect(builderOutput).not.toMatch(/downloading|downloaded/i);
  });
});
