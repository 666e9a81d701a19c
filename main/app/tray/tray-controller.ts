import { join } from 'node:path';
import type { MenuItemConstructorOptions, NativeImage } from 'electron';
import type { ElectronApi, ShellTray } from '../electron-api.ts';
import { trayIcon } from './tray-icon.ts';
import type { TrayAction, TrayMenuItem } from './tray-menu.ts';
import { buildTrayMenu } from './tray-menu.ts';
import type { TrayState } from './tray-state.ts';

/** Turns the menu data into Electron's template; every click goes to the one action handler. */
export function toMenuTemplate(items: readonly TrayMenuItem[], onAction: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'text':
        return { label: item.label, enabled: false };
      case 'submenu':
        return { label: item.label, submenu: toMenuTemplate(item.items, onAction) };
      case 'command':
        return { label: item.label, enabled: item.enabled, click: () => onAction(item.action) };
      case 'radio':
        return { label: item.label, type: 'radio', checked: item.checked, click: () => onAction(item.action) };
      case 'checkbox':
        return { label: item.label, type: 'checkbox', checked: item.checked, enabled: item.enabled, click: () => onAction(item.action) };
    }
  });
}

export interface TrayControllerOptions {
  /** Folder of the tray PNGs (dist/assets/tray). */
  imageDir: string;
  /** Shown when a tray image cannot be loaded, so the icon never silently disappears. */
  fallbackImagePath: string;
  platform: NodeJS.Platform;
  onAction(action: TrayAction): void;
  /** Windows: a left click on the icon opens the window (right click opens the menu). */
  onClick(): void;
  log(level: 'warn' | 'error', message: string, fields?: Record<string, unknown>): void;
}

/**
 * The tray icon itself. Holds the one Tray object for the life of the app (a Tray that is only referenced from a
 * local variable is garbage-collected and vanishes), and hands Electron what the pure functions computed, touching
 * the image, tooltip and menu only when they changed.
 */
export class TrayController {
  readonly #electron: ElectronApi;
  readonly #options: TrayControllerOptions;
  #tray: ShellTray | undefined;
  #shown = { file: '', tooltip: '', menu: '' };

  constructor(electron: ElectronApi, options: TrayControllerOptions) {
    this.#electron = electron;
    this.#options = options;
  }

  render(state: TrayState): void {
    const { file, tooltip } = trayIcon(state, this.#options.platform);
    const items = buildTrayMenu(state);
    const menu = JSON.stringify(items);
    if (!this.#tray) {
      this.#tray = new this.#electron.Tray(this.#image(file));
      this.#tray.on('click', () => {
        if (this.#options.platform === 'win32') this.#options.onClick();
      });
    } else if (file !== this.#shown.file) {
      this.#tray.setImage(this.#image(file));
    }
    if (tooltip !== this.#shown.tooltip) this.#tray.setToolTip(tooltip);
    // Rebuilt only on change: replacing the menu while it is open closes it on some platforms.
    if (menu !== this.#shown.menu) this.#tray.setContextMenu(this.#electron.Menu.buildFromTemplate(toMenuTemplate(items, this.#options.onAction)));
    this.#shown = { file, tooltip, menu };
  }

  destroy(): void {
    this.#tray?.destroy();
    this.#tray = undefined;
  }

  #image(file: string): NativeImage {
    const path = join(this.#options.imageDir, file);
    const image = this.#electron.nativeImage.createFromPath(path);
    if (!image.isEmpty()) return image;
    this.#options.log('error', 'tray image missing or unreadable; showing the app icon instead', { path });
    return this.#electron.nativeImage.createFromPath(this.#options.fallbackImagePath).resize({ width: 16, height: 16 });
  }
}
