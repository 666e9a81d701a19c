import Conf from 'conf';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SettingsDocument } from '../../../shared/settings/settings-schema.ts';
import { settingsFileBaseName } from '../../../shared/settings/settings-schema.ts';
import type { SettingsStore } from './settings-store.ts';

/**
 * Headless settings: `<dataDir>/settings.json` through conf, the library electron-store is built on, so the app and
 * `serve` read and write the same file format. conf's own schema and migrations are not used: validation and
 * migrations live in shared/settings so both stores apply the same ones. A file that is not valid JSON is reported,
 * never silently cleared.
 */
export class ConfSettingsStore implements SettingsStore {
  readonly location: string;
  private readonly dataDir: string;
  private readonly seed: unknown;
  private conf: Conf<Record<string, unknown>> | undefined;

  /** `seed` is what reading returns while no file exists yet (a config.json to import, providers from the env). */
  constructor(dataDir: string, seed?: unknown) {
    this.dataDir = dataDir;
    this.seed = seed;
    this.location = join(dataDir, `${settingsFileBaseName}.json`);
  }

  private open(): Conf<Record<string, unknown>> {
    // The data dir also holds credentials.json: create it private (0700) before conf creates it with its defaults.
    if (!this.conf) mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    this.conf ??= new Conf<Record<string, unknown>>({
      cwd: this.dataDir,
      configName: settingsFileBaseName,
      clearInvalidConfig: false,
      configFileMode: 0o600,
      accessPropertiesByDotNotation: false,
    });
    return this.conf;
  }

  async read(): Promise<unknown> {
    const store = this.open().store;
    if (Object.keys(store).length > 0) return store;
    return this.seed === undefined ? undefined : structuredClone(this.seed);
  }

  async write(document: SettingsDocument): Promise<void> {
    this.open().store = document;
  }
}
