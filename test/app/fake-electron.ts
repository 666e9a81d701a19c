import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  BrowserWindowConstructorOptions,
  CustomScheme,
  ElectronApi,
  IpcMainInvokeEvent,
  Menu,
  MenuItemConstructorOptions,
  NativeImage,
  PreventableEvent,
  ShellTray,
  ShellWebContents,
  ShellWindow,
} from '../../main/app/electron-api.ts';
import type { BridgeIpc } from '../../preload/create-bridge.ts';
import { createBridge } from '../../preload/create-bridge.ts';
import type { SwitchyardBridge } from '../../shared/api-contract.ts';

/**
 * A stand-in for the 'electron' module, implementing exactly the surface the shell uses (main/app/electron-api.ts)
 * with plain Node objects that record what the shell did. There is no Electron binary on these machines, and tests
 * never load the real module. What it cannot tell: whether real Electron draws the tray, shows the notification or
 * honours the window options; docs/desktop.md lists those checks for a real run.
 */

function preventable(extra: Record<string, unknown> = {}): PreventableEvent & { defaultPrevented: boolean } {
  const event = {
    ...extra,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

export interface FakeImage {
  path: string;
  resizedTo?: { width?: number; height?: number };
  isEmpty(): boolean;
  resize(size: { width?: number; height?: number }): FakeImage;
}

function fakeImage(path: string): FakeImage {
  return {
    path,
    isEmpty: () => !existsSync(path),
    resize(size) {
      return { ...fakeImage(path), resizedTo: size };
    },
  };
}

let nextWebContentsId = 100;

class FakeWebContents extends EventEmitter implements ShellWebContents {
  readonly id = nextWebContentsId++;
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  windowOpenHandler: Parameters<ShellWebContents['setWindowOpenHandler']>[0] | undefined;
  permissionHandler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  destroyed = false;
  readonly session = { setPermissionRequestHandler: (handler: FakeWebContents['permissionHandler']) => void (this.permissionHandler = handler) };
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
    this.emit('ipc-message', channel, ...args);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: NonNullable<FakeWebContents['windowOpenHandler']>): void {
    this.windowOpenHandler = handler;
  }
  /** What happens when the page tries to navigate: true when the shell let it. */
  navigate(url: string): boolean {
    const event = preventable({ url });
    this.emit('will-navigate', event);
    return !event.defaultPrevented;
  }
}

export class FakeWindow extends EventEmitter implements ShellWindow {
  static all: FakeWindow[] = [];
  readonly options: BrowserWindowConstructorOptions;
  readonly webContents = new FakeWebContents();
  readonly loaded: string[] = [];
  visible = false;
  destroyed = false;
  minimized = false;

  constructor(options: BrowserWindowConstructorOptions) {
    super();
    this.options = options;
    FakeWindow.all.push(this);
  }
  get url(): string | undefined {
    return this.loaded.at(-1);
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push(url);
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {}
  restore(): void {
    this.minimized = false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** The user clicks the window's close button. */
  userClose(): void {
    const event = preventable();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.visible = false;
    this.emit('closed');
  }
}

export class FakeTray extends EventEmitter implements ShellTray {
  static all: FakeTray[] = [];
  image: FakeImage;
  tooltip = '';
  menu: MenuItemConstructorOptions[] = [];
  menuBuilds = 0;
  destroyed = false;

  constructor(image: NativeImage) {
    super();
    this.image = image as unknown as FakeImage;
    FakeTray.all.push(this);
  }
  setImage(image: NativeImage): void {
    this.image = image as unknown as FakeImage;
  }
  setToolTip(toolTip: string): void {
    this.tooltip = toolTip;
  }
  setContextMenu(menu: Menu | null): void {
    this.menu = (menu as unknown as { template: MenuItemConstructorOptions[] } | null)?.template ?? [];
    this.menuBuilds += 1;
  }
  destroy(): void {
    this.destroyed = true;
  }
  /** Labels of the menu, top level, as shown ('---' for separators). */
  labels(): string[] {
    return this.menu.map((item) => (item.type === 'separator' ? '---' : (item.label ?? '')));
  }
  item(label: string, items = this.menu): MenuItemConstructorOptions | undefined {
    for (const item of items) {
      if (item.label === label) return item;
      if (Array.isArray(item.submenu)) {
        const found = this.item(label, item.submenu);
        if (found) return found;
      }
    }
    return undefined;
  }
  /** The user picks a menu item. */
  click(label: string): void {
    const item = this.item(label);
    if (!item) throw new Error(`no tray menu item "${label}" in: ${this.labels().join(' | ')}`);
    if (item.enabled === false) throw new Error(`tray menu item "${label}" is disabled`);
    (item.click as (() => void) | undefined)?.();
  }
}

class FakeApp extends EventEmitter {
  userData: string;
  readonly isPackaged: boolean;
  readonly switches: Array<[string, string | undefined]> = [];
  readonly commandLine = { appendSwitch: (name: string, value?: string) => void this.switches.push([name, value]) };
  readonly dock = undefined;
  hasLock: boolean;
  appUserModelId: string | undefined;
  quitRequests = 0;
  quitted = false;
  exitCode: number | undefined;
  loginItem = { openAtLogin: false, wasOpenedAtLogin: false };

  constructor(userData: string, options: { isPackaged: boolean; hasLock: boolean }) {
    super();
    this.userData = userData;
    this.isPackaged = options.isPackaged;
    this.hasLock = options.hasLock;
  }
  requestSingleInstanceLock(): boolean {
    return this.hasLock;
  }
  async whenReady(): Promise<void> {}
  /** Like Electron: before-quit may be prevented; otherwise the app quits (windows close for real). */
  quit(): void {
    this.quitRequests += 1;
    const event = preventable();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    this.quitted = true;
    for (const window of FakeWindow.all) if (!window.destroyed) window.userClose();
  }
  exit(exitCode = 0): void {
    this.exitCode = exitCode;
  }
  getPath(): string {
    return this.userData;
  }
  setPath(_name: string, path: string): void {
    this.userData = path;
  }
  getVersion(): string {
    return '0.1.0-test';
  }
  setAppUserModelId(id: string): void {
    this.appUserModelId = id;
  }
  getLoginItemSettings() {
    return { ...this.loginItem, openAsHidden: false, wasOpenedAsHidden: false, restoreState: false, status: 'not-registered', executableWillLaunchAtLogin: false, launchItems: [] } as unknown as ReturnType<ElectronApi['app']['getLoginItemSettings']>;
  }
  setLoginItemSettings(settings: { openAtLogin?: boolean }): void {
    this.loginItem.openAtLogin = settings.openAtLogin ?? false;
  }
}

const mimeTypes: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml' };

export interface FakeElectron extends ElectronApi {
  app: FakeApp;
  ipcMain: ElectronApi['ipcMain'] & { on(channel: string, listener: unknown): void };
  notifications: Array<{ title: string; body: string }>;
  clipboardText: string | undefined;
  opened: string[];
  errorBoxes: Array<{ title: string; content: string }>;
  privilegedSchemes: CustomScheme[];
  schemeHandlers: Map<string, (request: Request) => Response | Promise<Response>>;
  ipcHandlers: Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>;
  /** Calls an ipcMain handler as Electron would for a message from `sender`. */
  invokeFrom(sender: { webContentsId: number; frameUrl: string | undefined; topLevel?: boolean }, channel: string, ...args: unknown[]): Promise<unknown>;
  /** The page side of a window: the real preload bridge on an IPC loopback, as the page would see `window.switchyard`. */
  bridgeOf(window: FakeWindow): SwitchyardBridge;
  windows(): FakeWindow[];
  trays(): FakeTray[];
}

export function createFakeElectron(options: { userData: string; isPackaged?: boolean; hasLock?: boolean }): FakeElectron {
  FakeWindow.all = [];
  FakeTray.all = [];
  const notifications: FakeElectron['notifications'] = [];
  const ipcHandlers: FakeElectron['ipcHandlers'] = new Map();
  const schemeHandlers: FakeElectron['schemeHandlers'] = new Map();

  const fake: FakeElectron = {
    app: new FakeApp(options.userData, { isPackaged: options.isPackaged ?? true, hasLock: options.hasLock ?? true }),
    BrowserWindow: FakeWindow,
    Tray: FakeTray,
    Menu: { buildFromTemplate: (template) => ({ template }) as unknown as Menu },
    nativeImage: { createFromPath: (path) => fakeImage(path) as unknown as NativeImage },
    Notification: class {
      readonly #notice: { title: string; body: string };
      constructor(notice: { title?: string; body?: string }) {
        this.#notice = { title: notice.title ?? '', body: notice.body ?? '' };
      }
      static isSupported(): boolean {
        return true;
      }
      show(): void {
        notifications.push(this.#notice);
      }
    },
    clipboard: { writeText: (text) => void (fake.clipboardText = text) },
    ipcMain: {
      // electron-store registers a listener for renderers that use it; the shell does not, so this stays silent.
      on: () => {},
      handle: (channel, listener) => {
        if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        ipcHandlers.set(channel, listener);
      },
      removeHandler: (channel) => void ipcHandlers.delete(channel),
    },
    shell: { openExternal: async (url) => void fake.opened.push(url) },
    dialog: { showErrorBox: (title, content) => void fake.errorBoxes.push({ title, content }) },
    protocol: {
      registerSchemesAsPrivileged: (schemes) => void fake.privilegedSchemes.push(...schemes),
      handle: (scheme, handler) => void schemeHandlers.set(scheme, handler),
    },
    net: {
      fetch: async (input) => {
        const path = fileURLToPath(input);
        return new Response(await readFile(path), { headers: { 'content-type': mimeTypes[extname(path)] ?? 'application/octet-stream' } });
      },
    },
    notifications,
    clipboardText: undefined,
    opened: [],
    errorBoxes: [],
    privilegedSchemes: [],
    schemeHandlers,
    ipcHandlers,
    async invokeFrom(sender, channel, ...args) {
      const handler = ipcHandlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      const frame = sender.frameUrl === undefined ? null : { url: sender.frameUrl, parent: sender.topLevel === false ? {} : null };
      return handler({ sender: { id: sender.webContentsId }, senderFrame: frame } as unknown as IpcMainInvokeEvent, ...args);
    },
    bridgeOf(window) {
      const listeners = new Map<(event: unknown, message: unknown) => void, string>();
      window.webContents.on('ipc-message', (channel: string, message: unknown) => {
        for (const [listener, wanted] of listeners) if (wanted === channel) listener({ channel }, message);
      });
      const ipc: BridgeIpc = {
        invoke: (channel, ...args) => fake.invokeFrom({ webContentsId: window.webContents.id, frameUrl: window.url }, channel, ...args),
        on: (channel, listener) => void listeners.set(listener, channel),
        removeListener: (_channel, listener) => void listeners.delete(listener),
      };
      return createBridge(ipc);
    },
    windows: () => FakeWindow.all,
    trays: () => FakeTray.all,
  };
  return fake;
}
