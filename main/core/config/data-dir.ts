import { homedir } from 'node:os';
import { join } from 'node:path';

type Environment = Record<string, string | undefined>;

/**
 * The user's config folder for Switchyard — the same folder Electron uses as userData for the app, so the desktop
 * app and headless `serve` share one data dir: Linux ~/.config/Switchyard (or $XDG_CONFIG_HOME), macOS
 * ~/Library/Application Support/Switchyard, Windows %APPDATA%\Switchyard. SWITCHYARD_DATA_DIR overrides.
 */
export function defaultDataDir(environment: Environment = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (environment.SWITCHYARD_DATA_DIR) return environment.SWITCHYARD_DATA_DIR;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Switchyard');
  if (platform === 'win32') return join(environment.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Switchyard');
  return join(environment.XDG_CONFIG_HOME || join(home, '.config'), 'Switchyard');
}
