import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SettingsDocument } from '../../../shared/settings/settings-schema.ts';
import { settingsFileBaseName } from '../../../shared/settings/settings-schema.ts';
import type { SettingsStore } from '../../core/settings/settings-store.ts';

/** The options this store gives electron-store (a subset of conf's, with electron-store's `name`). */
export interface JsonStoreOptions {
  name: string;
  cwd: string;
  clearInvalidConfig: boolean;
  configFileMode: number;
  accessPropertiesByDotNotation: boolean;
}

/** electron-store (or, in tests, conf) as far as this store uses it: the whole document at once. */
export interface JsonStore {
  store: Record<string, unknown>;
}

export type OpenJsonStore = (options: JsonStoreOptions) => JsonStore;

/**
 * The desktop app's settings: `<userData>/settings.json` through electron-store, the same file and format headless
 * `serve` reads and writes through conf (main/core/settings/conf-settings-store.ts), so both see one set of providers
 * and combos. Like the conf store it only moves whole documents: migrations, validation and the masked-secret check
 * are shared/settings' job (main/core/settings/settings-file.ts). electron-store loads 'electron', so the app
 * passes the constructor in (`(options) => new ElectronStore(options)`) and tests pass conf.
 */
export class ElectronSettingsStore implements SettingsStore {
  readonly location: string;
  readonly #dataDir: string;
  readonly #open: OpenJsonStore;
  readonly #seed: unknown;
  #store: JsonStore | undefined;

  /** `seed` is what reading returns while no settings were saved yet (e.g. a `serve` config.json to import). */
  constructor(open: OpenJsonStore, dataDir: string, seed?: unknown) {
    this.#open = open;
    this.#dataDir = dataDir;
    this.#seed = seed;
    this.location = join(dataDir, `${settingsFileBaseName}.json`);
  }

  #opened(): JsonStore {
    if (!this.#store) {
      // The data dir also holds secrets' fallbacks and credentials: private before electron-store creates it.
      mkdirSync(this.#dataDir, { recursive: true, mode: 0o700 });
      this.#store = this.#open({
        name: settingsFileBaseName,
        cwd: this.#dataDir,
        // A file that is not valid JSON is reported (SettingsError at load), never silently emptied.
        clearInvalidConfig: false,
        configFileMode: 0o600,
        accessPropertiesByDotNotation: false,
      });
    }
    return this.#store;
  }

  async read(): Promise<unknown> {
    const stored = this.#opened().store;
    if (Object.keys(stored).length > 0) return stored;
    return this.#seed === undefined ? undefined : structuredClone(this.#seed);
  }

  async write(document: SettingsDocument): Promise<void> {
    this.#opened().store = document;
  }
}
