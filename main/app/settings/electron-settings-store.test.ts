import Conf from 'conf';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfSettingsStore } from '../../core/settings/conf-settings-store.ts';
import { loadSettings, saveSettings } from '../../core/settings/settings-file.ts';
import type { JsonStoreOptions } from './electron-settings-store.ts';
import { ElectronSettingsStore } from './electron-settings-store.ts';

// electron-store is conf plus Electron's userData as the default folder; with an explicit cwd the two behave the same.
// So conf stands in for it here, called with the exact options the app gives electron-store.
const openedWith: JsonStoreOptions[] = [];
const openWithConf = (options: JsonStoreOptions) => {
  openedWith.push(options);
  const { name, ...rest } = options;
  return new Conf<Record<string, unknown>>({ ...rest, configName: name });
};

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'switchyard-settings-'));
  openedWith.length = 0;
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('ElectronSettingsStore', () => {
  it('writes settings.json in the data dir, private, in the format headless serve reads', async () => {
    const store = new ElectronSettingsStore(openWithConf, dataDir);
    expect(store.location).toBe(join(dataDir, 'settings.json'));
    const loaded = await loadSettings(store);
    loaded.document.config = { providers: [{ id: 'gemini', type: 'gemini', keys: [{ id: 'k1', secret: { keychain: 'gemini.k1.abc123' } }] }], futureField: { kept: true } };
    await saveSettings(store, loaded.document);

    expect(openedWith[0]).toMatchObject({ name: 'settings', cwd: dataDir, clearInvalidConfig: false, configFileMode: 0o600 });
    expect((await stat(store.location)).mode & 0o777).toBe(0o600);
    const headless = await loadSettings(new ConfSettingsStore(dataDir));
    expect(headless.settings.config.providers[0]?.keys[0]?.secret).toEqual({ keychain: 'gemini.k1.abc123' });
    expect(JSON.parse(await readFile(store.location, 'utf8')).config.futureField).toEqual({ kept: true });
  });

  it('reads what headless serve wrote', async () => {
    const headless = new ConfSettingsStore(dataDir);
    const loaded = await loadSettings(headless);
    loaded.document.config = { combos: [{ name: 'fast', targets: ['gemini/gemini-2.5-flash'] }], providers: [{ id: 'gemini', type: 'gemini' }], activeCombo: 'fast' };
    await saveSettings(headless, loaded.document);
    const app = await loadSettings(new ElectronSettingsStore(openWithConf, dataDir));
    expect(app.settings.config.activeCombo).toBe('fast');
  });

  it('returns the seed until something is saved', async () => {
    const store = new ElectronSettingsStore(openWithConf, dataDir, { providers: [{ id: 'imported', type: 'openai' }] });
    const loaded = await loadSettings(store);
    expect(loaded.migrated).toBe(true);
    expect(loaded.settings.config.providers.map((provider) => provider.id)).toEqual(['imported']);
  });

  it('reports a damaged file instead of emptying it', async () => {
    await writeFile(join(dataDir, 'settings.json'), '{ not json');
    await expect(loadSettings(new ElectronSettingsStore(openWithConf, dataDir))).rejects.toThrow();
    expect(await readFile(join(dataDir, 'settings.json'), 'utf8')).toBe('{ not json');
  });
});
