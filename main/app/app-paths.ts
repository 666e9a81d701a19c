import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the built app's parts are, relative to the main bundle (dist/main/app.js; inside app.asar when packaged). */
export interface AppPaths {
  /** The built dashboard (vite output). */
  rendererDir: string;
  /** The bundled preload, CommonJS because sandboxed preloads must be. */
  preloadPath: string;
  /** Tray PNGs per mood (copied from build/tray). */
  trayImageDir: string;
  /** The app icon, for the Linux window and as the tray's fallback. */
  iconPath: string;
}

export function appPathsFrom(mainModuleUrl: string): AppPaths {
  const dist = dirname(dirname(fileURLToPath(mainModuleUrl)));
  return {
    rendererDir: join(dist, 'renderer'),
    preloadPath: join(dist, 'preload', 'preload.cjs'),
    trayImageDir: join(dist, 'assets', 'tray'),
    iconPath: join(dist, 'assets', 'icon.png'),
  };
}
