import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ElectronApi } from '../electron-api.ts';
import { autostartEntry, autostartFileName, hiddenFlag } from './autostart-entry.ts';

export interface LaunchAtLogin {
  /** False where this build cannot register itself (Linux outside a packaged build). */
  readonly supported: boolean;
  isEnabled(): boolean;
  setEnabled(enabled: boolean): Promise<void>;
  /** True when this process was started by the login item: the app then stays in the tray. */
  startedAtLogin(): boolean;
}

export interface LaunchAtLoginContext {
  platform: NodeJS.Platform;
  argv: readonly string[];
  execPath: string;
  env: Record<string, string | undefined>;
  isPackaged: boolean;
  home?: string;
}

/**
 * Launch at login per platform: macOS login items and the Windows Run key through Electron (Windows gets `--hidden`
 * so the app starts in the tray); Linux through an XDG autostart entry pointing at the AppImage (or the installed
 * binary for the .deb).
 */
export function createLaunchAtLogin(app: ElectronApi['app'], context: LaunchAtLoginContext): LaunchAtLogin {
  if (context.platform === 'darwin') {
    return {
      supported: true,
      isEnabled: () => app.getLoginItemSettings().openAtLogin,
      setEnabled: async (enabled) => app.setLoginItemSettings({ openAtLogin: enabled }),
      startedAtLogin: () => app.getLoginItemSettings().wasOpenedAtLogin || context.argv.includes(hiddenFlag),
    };
  }
  if (context.platform === 'win32') {
    const item = { path: context.execPath, args: [hiddenFlag] };
    return {
      supported: true,
      isEnabled: () => app.getLoginItemSettings(item).openAtLogin,
      setEnabled: async (enabled) => app.setLoginItemSettings({ ...item, openAtLogin: enabled }),
      startedAtLogin: () => context.argv.includes(hiddenFlag),
    };
  }
  const configHome = context.env.XDG_CONFIG_HOME || join(context.home ?? homedir(), '.config');
  const file = join(configHome, 'autostart', autostartFileName);
  // An AppImage runs from a temporary mount; $APPIMAGE is the file the user keeps, and what must be started.
  const executable = context.env.APPIMAGE || context.execPath;
  return {
    // Unpackaged (npm start) the executable is the bare Electron binary, which would not start Switchyard.
    supported: context.isPackaged,
    isEnabled: () => existsSync(file),
    async setEnabled(enabled) {
      if (!context.isPackaged) throw new Error('Launch at login works in the installed app, not in a development build.');
      if (!enabled) {
        await rm(file, { force: true });
        return;
      }
      await mkdir(join(configHome, 'autostart'), { recursive: true });
      await writeFile(file, autostartEntry([executable, hiddenFlag]), { mode: 0o644 });
    },
    startedAtLogin: () => context.argv.includes(hiddenFlag),
  };
}
