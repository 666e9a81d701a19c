import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../build/scripts/build.ts';

// The bundles as shipped, not the sources: dist/main/app.js runs under Node with 'electron' resolved to the shell
// tests' fake (fake-electron-hooks.ts), and dist/preload/preload.cjs runs with nothing but 'electron' to require, as a
// sandboxed preload does. This catches what only bundling can break: a dependency esbuild could not carry, an ESM/CJS
// mismatch, electron-store or keytar not loading, a preload that requires a module.

const root = join(import.meta.dirname, '..', '..');
let dataDir: string;

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'main', 'app.js')) || !existsSync(join(root, 'dist', 'preload', 'preload.cjs'))) await buildApp({ root, log: () => {} });
  dataDir = await mkdtemp(join(tmpdir(), 'switchyard-bundle-'));
}, 120_000);

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('dist/main/app.js', () => {
  it('starts the engine, serves, and quits cleanly on SIGTERM', async () => {
    const port = await freePort();
    await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ schemaVersion: 1, config: { server: { port } }, preferences: {} }));
    const child = spawn(process.execPath, ['--import', './test/packaging/register-fake-electron.ts', 'dist/main/app.js'], {
      cwd: root,
      // No reachable Secret Service for the child: it must fall back to files and say why.
      env: { ...process.env, SWITCHYARD_DATA_DIR: dataDir, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/switchyard-bus', DISPLAY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!log.includes('INFO  serving')) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the bundle did not start serving:\n${log}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const response = await fetch(`http://127.0.0.1:${port}/v1/models`);
      expect(response.status).toBe(401);
      // keytar loaded from outside the bundle and reached libsecret, which found no bus: the file fallback took over.
      expect(log).toContain('The OS keychain is not reachable');
      expect(log).not.toMatch(/Cannot find (module|package)/);
      expect(JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8')).schemaVersion).toBe(1);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 15_000))]);
    expect(code, log).toBe(0);
    expect(log).toContain('switchyard desktop stopped');
  }, 60_000);

  it('passes its own smoke check (what the release workflow runs with the real Electron on each OS)', async () => {
    const smokeDir = await mkdtemp(join(tmpdir(), 'switchyard-smoke-'));
    try {
      const port = await freePort();
      await writeFile(join(smokeDir, 'settings.json'), JSON.stringify({ schemaVersion: 1, config: { server: { port } }, preferences: {} }));
      const child = spawn(process.execPath, ['--import', './test/packaging/register-fake-electron.ts', 'dist/main/app.js'], {
        cwd: root,
        env: { ...process.env, SWITCHYARD_DATA_DIR: smokeDir, SWITCHYARD_SMOKE_TEST: '1', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/switchyard-bus', DISPLAY: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      clearTimeout(timer);
      expect(code, output).toBe(0);
      expect(output).toContain(`SMOKE OK: serving on http://127.0.0.1:${port}`);
    } finally {
      await rm(smokeDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('dist/preload/preload.cjs', () => {
  it('requires nothing but electron and exposes exactly the bridge', async () => {
    const source = await readFile(join(root, 'dist', 'preload', 'preload.cjs'), 'utf8');
    const exposed: Record<string, unknown> = {};
    const invoked: unknown[][] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (name: string, value: unknown) => (exposed[name] = value) },
      ipcRenderer: { invoke: async (...args: unknown[]) => invoked.push(args), on: () => {}, removeListener: () => {} },
    };
    const sandboxRequire = (name: string) => {
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return electron;
    };
    new Function('require', 'module', 'exports', source)(sandboxRequire, { exports: {} }, {});
    expect(Object.keys(exposed)).toEqual(['switchyard']);
    const bridge = exposed.switchyard as { invoke: (channel: string, args: unknown) => Promise<unknown> };
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    await bridge.invoke('providers.list', {});
    expect(invoked).toEqual([['switchyard:providers.list', {}]]);
  });
});
