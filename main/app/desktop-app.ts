import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiEventPayload } from '../../shared/api-contract.ts';
import { ipcEventChannel } from '../../shared/api-contract.ts';
import { registerControlRoutes } from '../core/control/control-routes.ts';
import { ControlService } from '../core/control/control-service.ts';
import { Engine } from '../core/engine.ts';
import { NamedClientKeys } from '../core/config/named-client-keys.ts';
import { createExecutionGuard } from '../core/guard/execution-guard.ts';
import type { Logger } from '../core/logging/logger.ts';
import { createLogger } from '../core/logging/logger.ts';
import { loadSettings } from '../core/settings/settings-file.ts';
import type { AppPaths } from './app-paths.ts';
import type { ElectronApi } from './electron-api.ts';
import type { ApiDispatcher } from './ipc/api-ipc.ts';
import { registerApiHandlers } from './ipc/api-ipc.ts';
import { isTrustedSender, senderFacts } from './ipc/trusted-sender.ts';
import { EngineHost } from './lifecycle/engine-host.ts';
import { hiddenFlag } from './login-item/autostart-entry.ts';
import { createLaunchAtLogin } from './login-item/launch-at-login.ts';
import type { KeytarApi } from '../core/secrets/keytar-secret-store.ts';
import type { OpenJsonStore } from './settings/electron-settings-store.ts';
import { ElectronSettingsStore } from './settings/electron-settings-store.ts';
import { createFileLogSink } from './startup/file-log-sink.ts';
import { openAppSecrets } from './startup/open-app-secrets.ts';
import type { DesktopNotice } from './tray/desktop-notices.ts';
import { NoticeThrottle, needsSignInNotice, noticeForGuardEvent } from './tray/desktop-notices.ts';
import { createTrayActionHandler } from './tray/tray-actions.ts';
import { TrayController } from './tray/tray-controller.ts';
import { TrayPresenter } from './tray/tray-presenter.ts';
import { registerAppScheme, serveAppScheme } from './window/app-protocol.ts';
import { MainWindow } from './window/main-window.ts';
import { cleanCrashLeftovers } from '../core/config/crash-leftovers.ts';

/** Matches electron-builder.yml `appId`; Windows groups notifications under it. */
export const appId = 'dev.switchyard.app';

export interface DesktopTiming {
  /** Requests in flight get this long when serving pauses. */
  pauseGraceMs: number;
  /** ... and this long when the app quits (shorter: the user is waiting for the app to go away). */
  quitGraceMs: number;
  trayRefreshMs: number;
  keychainProbeTimeoutMs: number;
}

const defaultTiming: DesktopTiming = { pauseGraceMs: 10_000, quitGraceMs: 5_000, trayRefreshMs: 2_000, keychainProbeTimeoutMs: 30_000 };

export interface DesktopAppOptions {
  electron: ElectronApi;
  /** keytar, loaded lazily: it is a native module and may be missing on an odd Linux. */
  loadKeytar(): Promise<KeytarApi>;
  /** electron-store in the app (conf in tests). */
  openJsonStore: OpenJsonStore;
  paths: AppPaths;
  platform: NodeJS.Platform;
  argv: readonly string[];
  env: Record<string, string | undefined>;
  execPath: string;
  /** Extra log destination (stderr in the app; collected in tests). The log file in userData is always written. */
  logSink?: (line: string) => void;
  timing?: Partial<DesktopTiming>;
  now?: () => number;
}

export interface DesktopApp {
  host: EngineHost<Engine>;
  control: ControlService;
  window: MainWindow;
  presenter: TrayPresenter;
  logger: Logger;
  /** The same path as Quit in the tray: stop serving (with grace), then let Electron quit. */
  quit(): void;
  /** Settles when the quit sequence has finished. */
  readonly quitDone: Promise<void>;
}

/** A `serve` config.json in the data dir becomes the first settings, so switching to the app keeps the setup. */
function legacyConfigSeed(dataDir: string): unknown {
  const path = join(dataDir, 'config.json');
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The desktop app: the engine in-process, the tray, the dashboard window and the IPC bridge, wired together. Returns
 * undefined when another instance already runs (that one shows its window instead).
 */
export async function runDesktopApp(options: DesktopAppOptions): Promise<DesktopApp | undefined> {
  const { electron, env, paths, platform } = options;
  const { app } = electron;
  const timing = { ...defaultTiming, ...options.timing };
  const now = options.now ?? Date.now;

  // ---- before ready ------------------------------------------------------------------------------------------
  if (env.SWITCHYARD_DATA_DIR) app.setPath('userData', env.SWITCHYARD_DATA_DIR);
  registerAppScheme(electron);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return undefined;
  }
  if (platform === 'win32') app.setAppUserModelId(appId);
  // Closing the window hides it; the app lives in the tray until Quit.
  app.on('window-all-closed', () => {});

  await app.whenReady();
  serveAppScheme(electron, paths.rendererDir);

  const dataDir = app.getPath('userData');
  const fileSink = createFileLogSink(join(dataDir, 'logs', 'main.log'));
  const logger = createLogger({
    level: 'info',
    sink: (line) => {
      fileSink(line);
      options.logSink?.(line);
    },
  });
  const log = (level: 'warn' | 'error', message: string, fields?: Record<string, unknown>) => logger[level](message, fields);
  logger.info('switchyard desktop starting', { version: app.getVersion(), dataDir });

  // ---- secrets, settings, engine ----------------------------------------------------------------------------
  const secrets = await openAppSecrets({ keytar: options.loadKeytar, dataDir, probeTimeoutMs: timing.keychainProbeTimeoutMs });
  // A crash may have left temporary files (one may hold pasted keys) and secrets no setting names any more.
  await cleanCrashLeftovers({ dataDir, secrets: secrets.store }).then(
    (leftovers) => {
      if (leftovers.removedFiles.length + leftovers.removedSecrets.length > 0) logger.info('removed what an earlier crash left behind', { files: leftovers.removedFiles.length, secrets: leftovers.removedSecrets.length });
    },
    (error: unknown) => logger.warn('crash leftovers were not cleaned', { error: String(error) }),
  );
  if (secrets.problem) logger.warn(secrets.problem.detail);
  logger.masker.register(secrets.local.clientKey);
  logger.masker.register(secrets.local.managementToken);
  const settings = new ElectronSettingsStore(options.openJsonStore, dataDir, legacyConfigSeed(dataDir));
  // One guard for every engine the app builds, so keys that cool down or were disabled stay so across pause/resume.
  const guard = createExecutionGuard();
  // The tray is built after the engine host, but the host's engines already report config changes to it. It keeps
  // no config of its own: every refresh asks the control service for the views the window shows.
  const trayRef: { presenter?: TrayPresenter } = {};
  const refreshTray = () => void trayRef.presenter?.refresh();
  /** Whether the client key clients must send is the generated one (no `server.clientKeys` in the settings). */
  const usesLocalClientKey = async () => {
    try {
      return (await loadSettings(settings)).settings.config.server.clientKeys.length === 0;
    } catch {
      return false;
    }
  };

  // Per-tool keys made by `switchyard clients configure` or the dashboard, in the same data dir, count at once (docs/clients.md).
  const namedClientKeys = new NamedClientKeys(dataDir, { secrets: secrets.store });
  const host = new EngineHost<Engine>({
    graceMs: timing.pauseGraceMs,
    createEngine: async () => {
      const loaded = await loadSettings(settings);
      for (const warning of loaded.warnings) logger.warn(`settings: ${warning}`);
      const engine = await Engine.create({
        config: loaded.settings.config,
        local: secrets.local,
        env,
        keychain: secrets.store,
        guard,
        logger,
        namedClientKeys,
        // Signed-in accounts (copilot / codex providers) live in the same data dir as for `serve` (docs/accounts.md).
        accounts: { dataDir, secrets: secrets.store },
        // The usage ledger (usage.db) lives there too.
        dataDir,
      });
      // The same management API as headless `serve` (scripts and curl), on the same control service as the window.
      const routes = registerControlRoutes(engine.management, control);
      engine.on('stopping', () => routes.closeStreams());
      engine.on('config-applied', refreshTray);
      engine.on('active-combo-changed', refreshTray);
      return engine;
    },
  });

  const launchAtLogin = createLaunchAtLogin(app, { platform, argv: options.argv, execPath: options.execPath, env, isPackaged: app.isPackaged });
  const control = new ControlService({
    mode: 'desktop',
    version: app.getVersion(),
    settings,
    secrets: secrets.store,
    engine: () => host.engine,
    servingState: () => {
      const status = host.status;
      return status.state === 'failed' ? { state: 'failed', message: status.message } : { state: status.state };
    },
    clientKeyWhere: 'the tray menu ("Copy client key")',
    clients: { dataDir, keys: namedClientKeys },
    desktop: { launchAtLoginSupported: launchAtLogin.supported, setLaunchAtLogin: (enabled) => launchAtLogin.setEnabled(enabled) },
    env,
    logger,
    now,
  });
  // Every call, from the window or the tray, goes through here; the tray hears of changes from the control service's
  // config.changed event below.
  const dispatch: ApiDispatcher = (channel, rawArgs) => control.dispatch(channel, rawArgs);

  // ---- window and bridge -------------------------------------------------------------------------------------
  let quitting = false;
  const notifications = new NoticeThrottle();
  const notify = (notice: DesktopNotice, throttled = false) => {
    if (throttled && !notifications.admit(notice.key, now())) return;
    if (!electron.Notification.isSupported()) return;
    new electron.Notification({ title: notice.title, body: notice.body, silent: false }).show();
  };
  const window = new MainWindow(electron, {
    preloadPath: paths.preloadPath,
    iconPath: platform === 'linux' ? paths.iconPath : undefined,
    isQuitting: () => quitting,
    devTools: !app.isPackaged,
    onFirstHide: () => notify({ key: 'hidden', title: 'Switchyard keeps serving', body: 'It is still running in the tray. Quit it from the tray menu.' }),
  });
  const unregisterIpc = registerApiHandlers(electron.ipcMain, {
    dispatch,
    isTrusted: (event) => isTrustedSender(senderFacts(event), window.webContentsId),
    log,
  });
  const stopEvents = control.subscribe((event, payload) => {
    window.send(ipcEventChannel, { event, payload });
    if (event === 'config.changed') refreshTray();
    if (event === 'accounts.needsSignIn') {
      const needs = payload as ApiEventPayload<'accounts.needsSignIn'>;
      notify(needsSignInNotice(needs, (id) => trayRef.presenter?.last?.providers.find((provider) => provider.id === id)?.name ?? id), true);
      refreshTray();
    }
  });

  // ---- tray --------------------------------------------------------------------------------------------------
  const onAction = createTrayActionHandler({
    dispatch: (channel, args) => dispatch(channel, args),
    copy: (text) => electron.clipboard.writeText(text),
    endpoint: () => (host.status.state === 'serving' ? host.status.url : undefined),
    clientKey: async () => host.engine?.runtime().clientKeys[0] ?? ((await usesLocalClientKey()) ? secrets.local.clientKey : undefined),
    pause: () => host.pause(),
    resume: () => host.start(),
    showWindow: (page) => window.show(page),
    quit: () => app.quit(),
    notify,
    refresh: refreshTray,
  });
  const tray = new TrayController(electron, {
    imageDir: paths.trayImageDir,
    fallbackImagePath: paths.iconPath,
    platform,
    onAction: (action) => void onAction(action).catch((error: unknown) => log('error', 'tray action failed', { action: action.type, error: String(error) })),
    onClick: () => window.show(),
    log,
  });
  const presenter = new TrayPresenter(
    {
      dispatch: (channel, args) => dispatch(channel, args),
      clientKeyAvailable: async () => host.engine !== undefined || (await usesLocalClientKey()),
      appProblems: () => (secrets.problem ? [secrets.problem.summary] : []),
      now,
    },
    (state) => tray.render(state),
    timing.trayRefreshMs,
  );
  const stopGuardEvents = guard.subscribe((event) => {
    const notice = noticeForGuardEvent(event, (id) => presenter.last?.providers.find((provider) => provider.id === id)?.name ?? id, now());
    if (notice) notify(notice, true);
    refreshTray();
  });
  host.on('status', (status) => {
    if (status.state === 'failed') logger.error('not serving', { reason: status.message });
    if (status.state === 'serving') logger.info('serving', { url: status.url });
    control.refresh();
    refreshTray();
  });
  trayRef.presenter = presenter;
  void presenter.refresh();

  app.on('second-instance', () => window.show());
  app.on('activate', () => window.show());

  // ---- quit --------------------------------------------------------------------------------------------------
  let readyToQuit = false;
  let finishQuit: () => void = () => {};
  const quitDone = new Promise<void>((resolve) => (finishQuit = resolve));
  const shutdown = async () => {
    presenter.stop();
    stopGuardEvents();
    stopEvents();
    control.close();
    // A stuck close must not keep the app alive forever: give up waiting after the grace period plus a margin.
    await Promise.race([host.shutdown(timing.quitGraceMs), new Promise((resolve) => setTimeout(resolve, timing.quitGraceMs + 5_000).unref())]);
    unregisterIpc();
    tray.destroy();
    logger.info('switchyard desktop stopped');
  };
  app.on('before-quit', (event) => {
    if (readyToQuit) return;
    event.preventDefault();
    if (quitting) return;
    quitting = true;
    void shutdown()
      .catch((error: unknown) => log('error', 'shutdown failed', { error: String(error) }))
      .finally(() => {
        readyToQuit = true;
        finishQuit();
        app.quit();
      });
  });

  // ---- go ----------------------------------------------------------------------------------------------------
  const startHidden = options.argv.includes(hiddenFlag) || launchAtLogin.startedAtLogin();
  if (!startHidden) window.show();
  await host.start();

  return { host, control, window, presenter, logger, quit: () => app.quit(), quitDone };
}
