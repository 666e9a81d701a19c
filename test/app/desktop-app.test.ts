import Conf from 'conf';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DesktopApp } from '../../main/app/desktop-app.ts';
import { runDesktopApp } from '../../main/app/desktop-app.ts';
import type { KeytarApi } from '../../main/core/secrets/keytar-secret-store.ts';
import { appStartUrl, contentSecurityPolicy } from '../../main/app/window/app-protocol.ts';
import type { JsonStoreOptions } from '../../main/app/settings/electron-settings-store.ts';
import { ipcChannelOf } from '../../shared/api-contract.ts';
import type { FakeUpstream } from '../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../helpers/fake-upstream/fake-upstream.ts';
import type { FakeElectron, FakeTray, FakeWindow } from './fake-electron.ts';
import { createFakeElectron } from './fake-electron.ts';

// The whole desktop shell, run with a fake 'electron' (no Electron binary here) around REAL parts: the engine on a
// real port, the control service, settings.json written by conf (what electron-store is built on), the preload's
// bridge, and a fake provider on 127.0.0.1.

const repo = join(import.meta.dirname, '..', '..');
const providerKey = 'fake-ant-desktop-test-provider-key-0001';

interface Running {
  app: DesktopApp;
  electron: FakeElectron;
  keychain: Map<string, string>;
  dataDir: string;
  port: number;
  logs: string[];
}

let upstream: FakeUpstream;
const running: Running[] = [];
const folders: string[] = [];

function memoryKeytar(entries: Map<string, string>): KeytarApi {
  return {
    getPassword: async (_service, account) => entries.get(account) ?? null,
    setPassword: async (_service, account, password) => void entries.set(account, password),
    deletePassword: async (_service, account) => entries.delete(account),
    findCredentials: async () => [...entries].map(([account, password]) => ({ account, password })),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function start(options: { config?: Record<string, unknown>; argv?: string[]; keytar?: KeytarApi; hasLock?: boolean; rendererHtml?: string } = {}): Promise<Running> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-desktop-'));
  folders.push(dataDir);
  const port = await freePort();
  await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ schemaVersion: 1, config: { server: { port }, ...options.config }, preferences: {} }));
  const rendererDir = join(dataDir, 'renderer-build');
  if (options.rendererHtml) {
    await mkdir(rendererDir, { recursive: true });
    await writeFile(join(rendererDir, 'index.html'), options.rendererHtml);
  }
  const electron = createFakeElectron({ userData: dataDir, hasLock: options.hasLock });
  const keychain = new Map<string, string>();
  const logs: string[] = [];
  const app = await runDesktopApp({
    electron,
    loadKeytar: async () => options.keytar ?? memoryKeytar(keychain),
    openJsonStore: ({ name, ...rest }: JsonStoreOptions) => new Conf<Record<string, unknown>>({ ...rest, configName: name }),
    paths: {
      rendererDir,
      preloadPath: join(repo, 'dist', 'preload', 'preload.cjs'),
      trayImageDir: join(repo, 'build', 'tray'),
      iconPath: join(repo, 'build', 'icons', '256x256.png'),
    },
    platform: 'linux',
    argv: options.argv ?? ['/opt/Switchyard/switchyard'],
    // XDG_CONFIG_HOME: the Linux autostart entry (launch at login) lands in the test's folder, not the real home.
    env: { KEY: providerKey, XDG_CONFIG_HOME: dataDir },
    execPath: '/opt/Switchyard/switchyard',
    logSink: (line) => logs.push(line),
    timing: { pauseGraceMs: 2_000, quitGraceMs: 1_000, trayRefreshMs: 100, keychainProbeTimeoutMs: 2_000 },
  });
  if (!app) return { app: undefined as unknown as DesktopApp, electron, keychain, dataDir, port, logs };
  const result = { app, electron, keychain, dataDir, port, logs };
  running.push(result);
  // The tray reads the control service's views asynchronously: wait for the first state to be drawn.
  await app.presenter.refresh();
  return result;
}

function trayOf(electron: FakeElectron): FakeTray {
  const tray = electron.trays()[0];
  if (!tray) throw new Error('no tray');
  return tray;
}

function windowOf(electron: FakeElectron): FakeWindow {
  const window = electron.windows()[0];
  if (!window) throw new Error('no window');
  return window;
}

async function ask(port: number, clientKey: string, model = 'claude-sonnet-4-5'): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': clientKey, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model, max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }),
  });
}

async function refused(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/v1/models`, { signal: AbortSignal.timeout(2_000) });
    return false;
  } catch (error) {
    return ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code === 'ECONNREFUSED';
  }
}

const claude = (models: string[] = []) => ({ id: 'claude', type: 'anthropic', baseUrl: upstream.url, keys: [{ id: 'k1', secret: { env: 'KEY' } }], models });

beforeAll(async () => {
  upstream = await startFakeUpstream('anthropic', { keys: [providerKey] });
});

afterEach(async () => {
  for (const { app, electron } of running.splice(0)) {
    if (!electron.app.quitted) {
      app.quit();
      await app.quitDone;
    }
  }
  upstream.setHandler(() => ({ kind: 'text' }));
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

afterAll(async () => {
  await upstream.close();
});

describe('desktop app start', () => {
  it('serves in-process, opens the dashboard window sandboxed, and shows a healthy tray', async () => {
    const { app, electron, port } = await start({ config: { providers: [claude()] } });
    expect(app.host.status).toEqual({ state: 'serving', url: `http://127.0.0.1:${port}` });

    const window = windowOf(electron);
    expect(window.visible).toBe(true);
    expect(window.url).toBe(appStartUrl);
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, preload: join(repo, 'dist', 'preload', 'preload.cjs') });
    expect(electron.privilegedSchemes).toEqual([{ scheme: 'switchyard', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

    const tray = trayOf(electron);
    expect(tray.image.path).toBe(join(repo, 'build', 'tray', 'tray-healthy.png'));
    expect(tray.image.isEmpty()).toBe(false);
    expect(tray.tooltip).toBe(`Switchyard on http://127.0.0.1:${port}\nidle`);
    // The Tools section depends on which tools this machine has installed (clients.status); its format is checked here,
    // its rows in tray-menu.test.ts.
    const labels = tray.labels();
    const tools = labels.indexOf('Tools');
    if (tools !== -1) {
      const end = labels.indexOf('---', tools);
      for (const line of labels.slice(tools + 1, end)) expect(line).toMatch(/^.+: (?:uses Switchyard|not set up)$/u);
      labels.splice(tools, end - tools + 1);
    }
    expect(labels).toEqual([
      'Serving, all providers ready',
      `http://127.0.0.1:${port} · idle`,
      '---',
      'Copy endpoint URL',
      'Copy client key',
      '---',
      'No combos yet',
      'Create a combo…',
      '---',
      'Providers',
      '✓ claude · 1 of 1 key ready',
      '---',
      'Pause serving',
      'Open dashboard',
      'Set up a tool…',
      'Launch at login',
      '---',
      'Quit Switchyard',
    ]);
  });

  it('starts in the tray only when launched at login', async () => {
    const { electron, app } = await start({ argv: ['/opt/Switchyard/switchyard', '--hidden'] });
    expect(electron.windows()).toEqual([]);
    expect(app.host.status.state).toBe('serving');
    trayOf(electron).click('Open dashboard');
    expect(windowOf(electron).visible).toBe(true);
  });

  it('lets a second instance show the first one\'s window and quit itself', async () => {
    const second = await start({ hasLock: false });
    expect(second.app).toBeUndefined();
    expect(second.electron.app.quitRequests).toBe(1);
    expect(second.electron.trays()).toEqual([]);

    const { electron } = await start({ argv: ['/opt/Switchyard/switchyard', '--hidden'] });
    electron.app.emit('second-instance');
    expect(windowOf(electron).visible).toBe(true);
  });

  it('reports a port in use in the tray, and serves after "Try again"', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-desktop-'));
      folders.push(dataDir);
      const { app, electron } = await start({ config: { server: { port } } });
      expect(app.host.status).toMatchObject({ state: 'failed', message: expect.stringContaining(`Port ${port} is already in use`) });
      const tray = trayOf(electron);
      expect(tray.image.path.endsWith('tray-failed.png')).toBe(true);
      expect(tray.labels()[0]).toMatch(new RegExp(`^Not serving: Port ${port} is already in use`));
      await new Promise((resolve) => blocker.close(resolve));
      tray.click('Try again');
      await waitFor('serving', () => app.host.status.state === 'serving');
      await app.presenter.refresh();
      expect(tray.image.path.endsWith('tray-healthy.png')).toBe(true);
    } finally {
      if (blocker.listening) await new Promise((resolve) => blocker.close(resolve));
    }
  }, 20_000);
});

describe('the window and its bridge', () => {
  it('answers the app window through the preload bridge, and refuses every other sender', async () => {
    const { electron, port } = await start();
    const window = windowOf(electron);
    const status = await electron.bridgeOf(window).invoke('status', {});
    expect(status).toMatchObject({ ok: true, result: { state: 'serving', mode: 'desktop', url: `http://127.0.0.1:${port}`, secretStore: 'OS keychain' } });

    const refusal = { ok: false, error: { code: 'unauthorized', message: 'Only the Switchyard window may use this API.' } };
    const channel = ipcChannelOf('status');
    expect(await electron.invokeFrom({ webContentsId: window.webContents.id + 1, frameUrl: appStartUrl }, channel, {})).toEqual(refusal);
    expect(await electron.invokeFrom({ webContentsId: window.webContents.id, frameUrl: 'https://evil.example/' }, channel, {})).toEqual(refusal);
    expect(await electron.invokeFrom({ webContentsId: window.webContents.id, frameUrl: appStartUrl, topLevel: false }, channel, {})).toEqual(refusal);
    expect(await electron.invokeFrom({ webContentsId: window.webContents.id, frameUrl: undefined }, channel, {})).toEqual(refusal);
  });

  it('adds a provider with a pasted key: the key goes to the keychain, settings keep a reference, the engine serves with it', async () => {
    const { electron, keychain, dataDir, port } = await start();
    const bridge = electron.bridgeOf(windowOf(electron));
    const added = await bridge.invoke('providers.add', { id: 'claude', type: 'anthropic', baseUrl: upstream.url, keys: [{ secret: providerKey, label: 'personal' }] });
    expect(added).toMatchObject({ ok: true, result: { id: 'claude', keys: [{ last4: '0001', source: 'keychain' }] } });
    expect(JSON.stringify(added)).not.toContain(providerKey);
    expect([...keychain.values()]).toContain(providerKey);
    const stored = await readFile(join(dataDir, 'settings.json'), 'utf8');
    expect(stored).not.toContain(providerKey);
    expect(stored).toContain('"keychain"');

    expect((await bridge.invoke('combos.save', { name: 'main', targets: ['claude/claude-sonnet-4-5'] })).ok).toBe(true);
    expect((await bridge.invoke('combos.activate', { name: 'main' })).ok).toBe(true);
    const sent = upstream.requests.length;
    const clientKey = keychain.get('switchyard.client-key')!;
    expect((await ask(port, clientKey)).status).toBe(200);
    expect(upstream.requests[sent]?.credential).toBe(providerKey);

    await waitFor('the tray to list the combo', () => trayOf(electron).item('main')?.checked === true);
  });

  it('pushes contract events to the window', async () => {
    const { electron } = await start();
    const bridge = electron.bridgeOf(windowOf(electron));
    const events: unknown[] = [];
    bridge.on('config.changed', (payload) => events.push(payload));
    await bridge.invoke('combos.save', { name: 'x', targets: ['claude'] }).catch(() => undefined);
    await bridge.invoke('providers.add', { id: 'p1', type: 'openai', keys: [{ secret: 'sk-fake-event-test-key-0001' }] });
    await waitFor('a config.changed event', () => events.length > 0);
  });

  it('keeps the page on the app origin and sends links to the browser', async () => {
    const { electron } = await start();
    const window = windowOf(electron);
    expect(window.webContents.navigate('https://evil.example/')).toBe(false);
    expect(window.webContents.navigate(`${appStartUrl}#/providers`)).toBe(true);
    expect(window.webContents.windowOpenHandler?.({ url: 'https://docs.anthropic.com/' } as never)).toEqual({ action: 'deny' });
    expect(window.webContents.windowOpenHandler?.({ url: 'file:///etc/passwd' } as never)).toEqual({ action: 'deny' });
    expect(electron.opened).toEqual(['https://docs.anthropic.com/']);
    let granted: boolean | undefined;
    window.webContents.permissionHandler?.({}, 'geolocation', (value) => (granted = value));
    expect(granted).toBe(false);
  });

  it('serves the built renderer on switchyard://app with a CSP, and a placeholder when it is not built', async () => {
    const built = await start({ rendererHtml: '<!doctype html><title>dashboard</title>' });
    const handler = built.electron.schemeHandlers.get('switchyard')!;
    const page = await handler(new Request('switchyard://app/index.html'));
    expect(await page.text()).toContain('<title>dashboard</title>');
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect((await handler(new Request('switchyard://app/../settings.json'))).status).toBe(404);
    built.app.quit();
    await built.app.quitDone;

    const bare = await start();
    const placeholder = await bare.electron.schemeHandlers.get('switchyard')!(new Request('switchyard://app/index.html'));
    expect(await placeholder.text()).toContain('The dashboard is not built');
  });
});

describe('the tray menu', () => {
  it('switches the active combo at once and confirms with a notification', async () => {
    const { app, electron, dataDir, port } = await start({
      config: {
        providers: [claude()],
        combos: [
          { name: 'main', targets: ['claude/model-a'] },
          { name: 'other', targets: ['claude/model-b'] },
        ],
        activeCombo: 'main',
      },
    });
    const tray = trayOf(electron);
    expect(tray.item('main')).toMatchObject({ type: 'radio', checked: true });
    const clientKey = app.host.engine!.runtime().clientKeys[0]!;
    await ask(port, clientKey);
    expect(upstream.requests.at(-1)?.model).toBe('model-a');

    tray.click('other');
    await waitFor('the switch notification', () => electron.notifications.some((notice) => notice.title === 'Combo "other" is active'));
    await ask(port, clientKey);
    expect(upstream.requests.at(-1)?.model).toBe('model-b');
    expect(JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8')).config.activeCombo).toBe('other');
    await waitFor('the radio to follow', () => tray.item('other')?.checked === true);
  });

  it('pauses and resumes serving', async () => {
    const { app, electron, port } = await start({ config: { providers: [claude()] } });
    const tray = trayOf(electron);
    tray.click('Pause serving');
    await waitFor('paused', () => app.host.status.state === 'paused');
    await app.presenter.refresh();
    expect(await refused(port)).toBe(true);
    expect(tray.image.path.endsWith('tray-paused.png')).toBe(true);
    expect(tray.labels()[0]).toBe('Paused: tools get no answers');
    expect(tray.item('Copy endpoint URL')?.enabled).toBe(false);
    const status = await electron.bridgeOf(windowOf(electron)).invoke('status', {});
    expect(status).toMatchObject({ ok: true, result: { state: 'paused', url: null } });

    tray.click('Resume serving');
    await waitFor('serving', () => app.host.status.state === 'serving');
    expect((await ask(port, app.host.engine!.runtime().clientKeys[0]!)).status).toBe(200);
  });

  it('copies the endpoint and the client key', async () => {
    const { electron, keychain, port } = await start();
    const tray = trayOf(electron);
    tray.click('Copy endpoint URL');
    expect(electron.clipboardText).toBe(`http://127.0.0.1:${port}`);
    tray.click('Copy client key');
    await waitFor('the client key on the clipboard', () => electron.clipboardText !== `http://127.0.0.1:${port}`);
    expect(electron.clipboardText).toBe(keychain.get('switchyard.client-key'));
    expect(electron.clipboardText).toMatch(/^sy-/);
  });

  it('turns launch at login on through the settings, and the checkbox follows', async () => {
    const { electron, dataDir } = await start();
    const tray = trayOf(electron);
    expect(tray.item('Launch at login')).toMatchObject({ type: 'checkbox', checked: false, enabled: true });
    tray.click('Launch at login');
    await waitFor('the checkbox', () => tray.item('Launch at login')?.checked === true);
    expect(await readFile(join(dataDir, 'autostart', 'switchyard.desktop'), 'utf8')).toContain('Exec=/opt/Switchyard/switchyard --hidden');
    expect(JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8')).preferences.launchAtLogin).toBe(true);
    tray.click('Launch at login');
    await waitFor('the checkbox', () => tray.item('Launch at login')?.checked === false);
  });

  it('tells the user when a key stops working and shows the problem in the tray', async () => {
    const { app, electron, port } = await start({ config: { providers: [claude()] } });
    upstream.setHandler(() => ({ kind: 'error', status: 401, message: 'invalid x-api-key', type: 'authentication_error' }));
    await ask(port, app.host.engine!.runtime().clientKeys[0]!, 'claude/claude-sonnet-4-5');
    await waitFor('the notification', () => electron.notifications.some((notice) => notice.title === 'claude: a key stopped working'));
    const tray = trayOf(electron);
    await waitFor('the tray to show it', () => tray.image.path.endsWith('tray-degraded.png'));
    expect(tray.labels()[0]).toMatch(/^Serving with problems: claude: key k1 \(…0001\) disabled/);
    await waitFor('the provider line', () => tray.labels().includes('✕ claude · 0 of 1 key ready'));
    // The same situation again within minutes does not notify twice.
    const count = electron.notifications.length;
    await app.host.pause();
    await app.host.start();
    expect(electron.notifications.length).toBe(count);
  });

  it('keeps working without a keychain, and says so', async () => {
    const broken: KeytarApi = { ...memoryKeytar(new Map()), findCredentials: () => Promise.reject(new Error('The name org.freedesktop.secrets was not provided by any .service files')) };
    const { app, electron, dataDir, logs } = await start({ keytar: broken });
    expect(app.host.status.state).toBe('serving');
    const tray = trayOf(electron);
    expect(tray.labels()[0]).toBe('Serving with problems: no OS keychain; keys kept in a private file');
    expect(logs.some((line) => line.includes('org.freedesktop.secrets'))).toBe(true);
    expect(JSON.parse(await readFile(join(dataDir, 'credentials.json'), 'utf8')).clientKey).toMatch(/^sy-/);
  });
});

describe('closing and quitting', () => {
  it('hides the window on close and keeps serving; quit stops the engine first, then really quits', async () => {
    const { app, electron, port } = await start({ config: { providers: [claude()] } });
    const window = windowOf(electron);
    window.userClose();
    expect(window.destroyed).toBe(false);
    expect(window.visible).toBe(false);
    expect(electron.notifications.map((notice) => notice.title)).toContain('Switchyard keeps serving');
    expect(app.host.status.state).toBe('serving');

    upstream.setHandler(() => ({ kind: 'text', text: 'finishing in flight', chunks: 3, chunkDelayMs: 100 }));
    const inFlight = fetch(`http://127.0.0.1:${port}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': app.host.engine!.runtime().clientKeys[0]!, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude/claude-sonnet-4-5', max_tokens: 20, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    }).then((response) => response.text());
    await new Promise((resolve) => setTimeout(resolve, 50));

    trayOf(electron).click('Quit Switchyard');
    expect(electron.app.quitted).toBe(false);
    await app.quitDone;
    expect(await inFlight).toContain('message_stop');
    expect(electron.app.quitted).toBe(true);
    expect(window.destroyed).toBe(true);
    expect(trayOf(electron).destroyed).toBe(true);
    expect(electron.ipcHandlers.size).toBe(0);
    expect(await refused(port)).toBe(true);
  });
});
