import type { ElectronApi, ShellWindow } from '../electron-api.ts';
import type { DashboardPage } from '../tray/tray-menu.ts';
import { appOrigin, appStartUrl } from './app-protocol.ts';

export interface MainWindowOptions {
  preloadPath: string;
  /** The window icon (Linux; macOS and Windows take the app's icon). */
  iconPath?: string;
  /** True once the user chose Quit: from then on closing the window really closes it. */
  isQuitting(): boolean;
  /** Shown the first time the window is closed while the app keeps serving, so nobody thinks it quit. */
  onFirstHide?(): void;
  devTools: boolean;
}

/** The page a tray item opens, as a route of the dashboard (hash routing; works without a server). */
export function pageUrl(page: DashboardPage): string {
  return page === 'dashboard' ? appStartUrl : `${appStartUrl}#/${page}`;
}

/** Only the app's own pages may load in the window; https links open in the user's browser. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}` === appOrigin;
  } catch {
    return false;
  }
}

export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The dashboard window. At most one exists; closing it hides it (the engine keeps serving from the tray) unless the
 * app is quitting. The page is sandboxed with context isolation and reaches main only through the preload's bridge.
 */
export class MainWindow {
  readonly #electron: ElectronApi;
  readonly #options: MainWindowOptions;
  #window: ShellWindow | undefined;
  #hiddenOnce = false;

  constructor(electron: ElectronApi, options: MainWindowOptions) {
    this.#electron = electron;
    this.#options = options;
  }

  /** The id of the window's web contents while it exists: the only sender IPC handlers answer. */
  get webContentsId(): number | undefined {
    const window = this.#window;
    return window && !window.isDestroyed() ? window.webContents.id : undefined;
  }

  get isVisible(): boolean {
    return this.#window !== undefined && !this.#window.isDestroyed() && this.#window.isVisible();
  }

  /** Shows the window (creating it when needed), on the given page. */
  show(page?: DashboardPage): void {
    let window = this.#window;
    if (!window || window.isDestroyed()) {
      window = this.#create(page ?? 'dashboard');
    } else if (page) {
      void window.loadURL(pageUrl(page)).catch(() => {});
    }
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    void this.#electron.app.dock?.show().catch(() => {});
  }

  /** Pushes an event to the page, if the window is open. */
  send(channel: string, message: unknown): void {
    const window = this.#window;
    if (window && !window.isDestroyed() && !window.webContents.isDestroyed()) window.webContents.send(channel, message);
  }

  #create(page: DashboardPage): ShellWindow {
    const window = new this.#electron.BrowserWindow({
      title: 'Switchyard',
      width: 1100,
      height: 760,
      minWidth: 720,
      minHeight: 520,
      show: false,
      backgroundColor: '#0f172a',
      autoHideMenuBar: true,
      ...(this.#options.iconPath ? { icon: this.#options.iconPath } : {}),
      webPreferences: {
        preload: this.#options.preloadPath,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        spellcheck: false,
        devTools: this.#options.devTools,
      },
    });
    const contents = window.webContents;
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalLink(url)) void this.#electron.shell.openExternal(url).catch(() => {});
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event) => {
      if (!isAppUrl(event.url)) event.preventDefault();
    });
    // The dashboard needs no camera, notifications API, geolocation, ...: refuse every permission prompt.
    contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    window.on('close', (event) => {
      if (this.#options.isQuitting()) return;
      event.preventDefault();
      window.hide();
      if (!this.#hiddenOnce) {
        this.#hiddenOnce = true;
        this.#options.onFirstHide?.();
      }
    });
    window.on('closed', () => {
      if (this.#window === window) this.#window = undefined;
    });
    this.#window = window;
    void window.loadURL(pageUrl(page)).catch(() => {});
    return window;
  }
}
