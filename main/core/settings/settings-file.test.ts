import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsError } from '../../../shared/settings/migrate-settings.ts';
import { ConfSettingsStore } from './conf-settings-store.ts';
import { openHeadlessSettings } from './open-headless-settings.ts';
import { loadSettings, saveSettings } from './settings-file.ts';
import { MemorySettingsStore, ReadOnlySettingsStore } from './settings-store.ts';

const directories: string[] = [];

async function dataDir(): Promise<string> {
  const directory = join(await mkdtemp(join(tmpdir(), 'switchyard-settings-')), 'data');
  directories.push(directory);
  return directory;
}

afterEach(async () => {
  for (const directory of directories.splice(0)) await rm(join(directory, '..'), { recursive: true, force: true });
});

describe('conf settings store', () => {
  it('writes settings.json privately and reads back exactly what it wrote, unknown fields included', async () => {
    const directory = await dataDir();
    const store = new ConfSettingsStore(directory);
    expect(await store.read()).toBeUndefined();
    const document = { schemaVersion: 1, config: { providers: [{ id: 'p', type: 'openai', keys: [], later: { x: 1 } }] }, preferences: {}, extra: 'kept' };
    await saveSettings(store, document);
    expect((await stat(directory)).mode & 0o777).toBe(0o700);
    expect((await stat(join(directory, 'settings.json'))).mode & 0o777).toBe(0o600);
    const loaded = await loadSettings(new ConfSettingsStore(directory));
    expect(loaded.document).toEqual(document);
    expect(loaded.warnings).toEqual(['config.providers[0].later: unknown field, kept but ignored', 'extra: unknown field, kept but ignored']);
  });

  it('reports a damaged file instead of clearing it', async () => {
    const directory = await dataDir();
    await saveSettings(new ConfSettingsStore(directory), { schemaVersion: 1, config: {}, preferences: {} });
    await writeFile(join(directory, 'settings.json'), '{"schemaVersion": 1, oops');
    await expect(loadSettings(new ConfSettingsStore(directory))).rejects.toThrow(/settings\.json cannot be read: .*not valid JSON/);
    expect(await readFile(join(directory, 'settings.json'), 'utf8')).toBe('{"schemaVersion": 1, oops');
  });

  it('refuses to save masked secrets or into a read-only store', async () => {
    const store = new MemorySettingsStore();
    const masked = { schemaVersion: 1, config: { providers: [{ id: 'p', type: 'openai', keys: [{ id: 'k', secret: '****abcd' }] }] } };
    await expect(saveSettings(store, masked)).rejects.toThrow(/config\.providers\[0\]\.keys\[0\]\.secret: looks like a masked key/);
    expect(store.writes).toBe(0);
    await expect(saveSettings(new ReadOnlySettingsStore({}, 'file', 'Edit the file instead.'), { schemaVersion: 1 })).rejects.toThrow('Edit the file instead.');
  });
});

describe('headless settings sources', () => {
  it('uses a --config file read-only', async () => {
    const directory = await dataDir();
    const file = join(directory, '..', 'mine.json');
    await writeFile(file, JSON.stringify({ providers: [{ id: 'p', type: 'openai', keys: [{ id: 'k', secret: { env: 'K' } }] }] }));
    const opened = await openHeadlessSettings({ dataDir: directory, configPath: file, env: {} });
    expect(opened.store.readOnlyReason).toContain(file);
    expect(opened.config.providers.map((provider) => provider.id)).toEqual(['p']);
    expect((await loadSettings(opened.store)).settings.config.providers).toHaveLength(1);
  });

  it('starts from config.json or the environment, and prefers settings.json once the dashboard wrote it', async () => {
    const directory = await dataDir();
    const environment = await openHeadlessSettings({ dataDir: directory, env: { OPENAI_API_KEY: 'sk-from-the-environment-000' } });
    expect(environment.config.providers.map((provider) => [provider.id, provider.keys[0]?.secret])).toEqual([['openai', { env: 'OPENAI_API_KEY' }]]);
    expect(environment.source).toMatch(/^providers from the environment/);

    await writeFile(join(directory, 'config.json'), JSON.stringify({ combos: [], providers: [{ id: 'legacy', type: 'gemini' }] }));
    const legacy = await openHeadlessSettings({ dataDir: directory, env: {} });
    expect(legacy.config.providers.map((provider) => provider.id)).toEqual(['legacy']);
    const { document } = await loadSettings(legacy.store);
    await saveSettings(legacy.store, document);

    const later = await openHeadlessSettings({ dataDir: directory, env: {} });
    expect(later.source).toBe(join(directory, 'settings.json'));
    expect(later.warnings).toEqual([`${join(directory, 'config.json')} is ignored: ${join(directory, 'settings.json')} (written by the dashboard) takes its place`]);
  });

  it('stops with every problem when the settings are invalid', async () => {
    const directory = await dataDir();
    await saveSettings(new ConfSettingsStore(directory), { schemaVersion: 1, config: {}, preferences: {} });
    await writeFile(join(directory, 'settings.json'), JSON.stringify({ schemaVersion: 1, config: { server: { port: -1 }, activeCombo: 'none' } }));
    const failure = await openHeadlessSettings({ dataDir: directory, env: {} }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SettingsError);
    expect((failure as SettingsError).problems).toEqual([expect.stringMatching(/^config\.server\.port: /), 'config.activeCombo: no combo named "none"']);
  });
});
