import type {
  BrowserWindowConstructorOptions,
  CustomScheme,
  HandlerDetails,
  IpcMainInvokeEvent,
  LoginItemSettings,
  LoginItemSettingsOptions,
  Menu,
  MenuItemConstructorOptions,
  NativeImage,
  NotificationConstructorOptions,
  Settings,
  WindowOpenHandlerResponse,
} from 'electron';

// Electron's own types for the values the shell passes around, for code outside main/app (the shell tests' fake).
export type { BrowserWindowConstructorOptions, CustomScheme, IpcMainInvokeEvent, Menu, MenuItemConstructorOptions, NativeImage };

/**
 * The part of Electron the shell uses, and nothing more. The entry point (app.ts) passes the real module, checked
 * against these types at compile time; tests pass a fake (test/app/fake-electron.ts). No module of the shell other
 * than app.ts loads 'electron' at run time, so every other file runs under plain Node.
 */

export interface PreventableEvent {
  preventDefault(): void;
}

export interface ShellApp {
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<void>;
  quit(): void;
  exit(exitCode?: number): void;
  getPath(name: 'userData'): string;
  setPath(name: 'userData', path: string): void;
  getVersion(): string;
  readonly isPackaged: boolean;
  setAppUserModelId(id: string): void;
  getLoginItemSettings(options?: LoginItemSettingsOptions): LoginItemSettings;
  setLoginItemSettings(settings: Settings): void;
  readonly commandLine: { appendSwitch(name: string, value?: string): void };
  readonly dock: { show(): Promise<void> } | undefined;
  on(event: 'second-instance', listener: () => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'activate', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: PreventableEvent) => void): unknown;
}

export interface ShellWebContents {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void;
  on(event: 'will-navigate', listener: (event: PreventableEvent & { url: string }) => void): unknown;
  readonly session: {
    setPermissionRequestHandler(handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null): void;
  };
}

export interface ShellWindow {
  readonly webContents: ShellWebContents;
  loadURL(url: string): Promise<void>;
  show(): void;
  hide(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isVisible(): boolean;
  isDestroyed(): boolean;
  on(event: 'close', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
}

export interface ShellTray {
  setImage(image: NativeImage): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: Menu | null): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

export interface ShellNotification {
  show(): void;
}

export interface ElectronApi {
  app: ShellApp;
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => ShellWindow;
  Tray: new (image: NativeImage) => ShellTray;
  Menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): Menu };
  nativeImage: { createFromPath(path: string): NativeImage };
  Notification: { new (options: NotificationConstructorOptions): ShellNotification; isSupported(): boolean };
  clipboard: { writeText(text: string): void };
  // The listener's arguments come from the renderer: unknown until validated.
  ipcMain: { handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void; removeHandler(channel: string): void };
  shell: { openExternal(url: string): Promise<void> };
  dialog: { showErrorBox(title: string, content: string): void };
  protocol: {
    registerSchemesAsPrivileged(schemes: CustomScheme[]): void;
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  };
  net: { fetch(input: string, init?: RequestInit): Promise<Response> };
}
