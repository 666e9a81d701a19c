import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SwitchyardConfig } from '../../../shared/config/config-schema.ts';
import { settingsFileName } from '../../../shared/settings/settings-schema.ts';
import { providersFromEnvironment } from '../config/environment-providers.ts';
import { loadConfigFile } from '../config/load-config.ts';
import { ConfSettingsStore } from './conf-settings-store.ts';
import { loadSettings } from './settings-file.ts';
import type { SettingsStore } from './settings-store.ts';
import { ConfigFileSettingsStore } from './settings-store.ts';

export interface HeadlessSettings {
  store: SettingsStore;
  config: SwitchyardConfig;
  /** One line for the `serve` banner: where the settings come from. */
  source: string;
  warnings: string[];
}

/**
 * Where headless `serve` takes its settings from, in this order:
 * 1. `--config <file>`: that file, read-only in the dashboard (a hand-written file is never rewritten; serve applies
 *    edits to it live);
 * 2. `<dataDir>/settings.json`: the dashboard's settings (conf), editable;
 * 3. neither: a first start. The dashboard's first change writes settings.json, starting from `<dataDir>/config.json`
 *    when there is one (imported once) or from the providers found in the environment.
 */
export async function openHeadlessSettings(options: { dataDir: string; configPath?: string; env: Record<string, string | undefined> }): Promise<HeadlessSettings> {
  if (options.configPath) {
    const loaded = await loadConfigFile(options.configPath);
    const store = new ConfigFileSettingsStore(
      options.configPath,
      `Settings come from ${options.configPath} (serve --config), so they are changed in that file: Switchyard applies your edits as soon as you save it.`,
    );
    return { store, config: loaded.config, source: `${options.configPath} (read-only in the dashboard)`, warnings: loaded.warnings };
  }

  const settingsPath = join(options.dataDir, settingsFileName);
  const legacyPath = join(options.dataDir, 'config.json');
  const warnings: string[] = [];
  let seed: unknown;
  let source = settingsPath;
  if (existsSync(settingsPath)) {
    if (existsSync(legacyPath)) warnings.push(`${legacyPath} is ignored: ${settingsPath} (written by the dashboard) takes its place`);
  } else if (existsSync(legacyPath)) {
    const legacy = await loadConfigFile(legacyPath);
    warnings.push(...legacy.warnings);
    seed = JSON.parse(await readFile(legacyPath, 'utf8')) as unknown;
    source = `${legacyPath} (the dashboard saves changes to ${settingsPath})`;
  } else {
    const providers = providersFromEnvironment(options.env);
    seed = { providers };
    source = providers.length > 0 ? `providers from the environment (the dashboard saves changes to ${settingsPath})` : `none yet (the dashboard saves to ${settingsPath})`;
  }
  const store = new ConfSettingsStore(options.dataDir, seed);
  const loaded = await loadSettings(store);
  return { store, config: loaded.settings.config, source, warnings: [...warnings, ...loaded.warnings] };
}
