// The Electron main process entry, bundled to dist/main/app.js (package.json "main"). The only module of the shell
// that loads 'electron', electron-store and keytar at run time; everything else receives them (see electron-api.ts).
import electron from 'electron';
import ElectronStore from 'electron-store';
import type { ElectronApi } from './electron-api.ts';
import { appPathsFrom } from './app-paths.ts';
import { runDesktopApp } from './desktop-app.ts';
import { smokeCheck } from './startup/smoke-check.ts';
import type { KeytarApi } from '../core/secrets/keytar-secret-store.ts';

// Checked here, at compile time: the real module provides everything the shell uses.
const api: ElectronApi = electron;

// A logout or `kill` on Linux sends SIGTERM: take the normal quit path (grace period for requests in flight).
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => api.app.quit());

const smokeTest = process.env.SWITCHYARD_SMOKE_TEST === '1';

runDesktopApp({
  electron: api,
  loadKeytar: async () => (await import('keytar')).default as KeytarApi,
  openJsonStore: (options) => new ElectronStore<Record<string, unknown>>(options),
  paths: appPathsFrom(import.meta.url),
  platform: process.platform,
  argv: process.argv,
  env: process.env,
  execPath: process.execPath,
  logSink: (line) => process.stderr.write(`${line}\n`),
})
  .then(async (app) => {
    if (app && smokeTest) await smokeCheck(app, (code) => api.app.exit(code));
  })
  .catch((error: unknown) => {
    // Reached only by a bug: expected failures (port taken, a missing key) show in the tray instead.
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`Switchyard could not start: ${message}\n`);
    // A modal box would hang an unattended smoke test; people get one.
    if (!smokeTest) api.dialog.showErrorBox('Switchyard could not start', message);
    api.app.exit(1);
  });
