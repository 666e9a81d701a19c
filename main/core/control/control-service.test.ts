import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SwitchyardConfig } from '../../../shared/config/config-schema.ts';
import { configSchema } from '../../../shared/config/config-schema.ts';
import { Engine } from '../engine.ts';
import { silentLogger } from '../logging/logger.ts';
import { MemorySecretStore } from '../secrets/secret-store.ts';
import { MemorySettingsStore, ReadOnlySettingsStore } from '../settings/settings-store.ts';
import type { ControlledEngine, ControlServiceOptions } from './control-service.ts';
import { ControlService } from './control-service.ts';

const keyA = 'sk-test-aaaaaaaaaaaaaaaa1111';
const keyB = 'sk-test-bbbbbbbbbbbbbbbb2222';

const engines: Engine[] = [];

async function setup(document?: unknown, overrides: Partial<ControlServiceOptions> = {}) {
  const settings = new MemorySettingsStore(document);
  const secrets = new MemorySecretStore();
  const engine = await Engine.create({
    config: configSchema.parse({}),
    local: { clientKey: 'sy-test-client-key-0123456789abcdef', managementToken: 'sym-test-token-0123456789' },
    env: overrides.env ?? {},
    keychain: secrets,
    logger: silentLogger(),
  });
  engines.push(engine);
  const control = new ControlService({ mode: 'web', version: '1.2.3', settings, secrets, engine: () => engine, clientKeyWhere: 'test', ...overrides });
  return { control, settings, secrets, engine };
}

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.stop(0);
});

async function stored(settings: MemorySettingsStore): Promise<{ config: Record<string, unknown> } & Record<string, unknown>> {
  return (await settings.read()) as { config: Record<string, unknown> } & Record<string, unknown>;
}

describe('control service: providers and keys', () => {
  it('stores pasted keys in the secret store, keeps only their ids in the settings and shows only the last four', async () => {
    const { control, settings, secrets, engine } = await setup();
    const answer = await control.dispatch('providers.add', { id: 'openai', type: 'openai', models: ['gpt-5'], keys: [{ secret: keyA }, { secret: keyB, label: 'work' }] });
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    expect(answer.result.keys.map((key) => [key.id, key.last4, key.source, key.label])).toEqual([
      ['key-1', '1111', 'keychain', null],
      ['key-2', '2222', 'keychain', 'work'],
    ]);
    expect(JSON.stringify(answer)).not.toContain(keyA);

    const document = await stored(settings);
    expect(JSON.stringify(document)).not.toContain(keyA);
    const ids = (document.config.providers as Array<{ keys: Array<{ secret: { keychain: string } }> }>)[0]!.keys.map((key) => key.secret.keychain);
    expect(await Promise.all(ids.map((id) => secrets.get(id)))).toEqual([keyA, keyB]);
    // The running engine uses the new provider at once.
    expect(engine.config.providers.map((provider) => provider.id)).toEqual(['openai']);
    expect(engine.runtime().providers.get('openai')?.keys.map((key) => key.secret)).toEqual([keyA, keyB]);
  });

  it('refuses invalid input with a clear message and changes nothing', async () => {
    const { control, settings, secrets } = await setup();
    const answer = await control.dispatch('providers.add', { id: 'my provider', type: 'openai', keys: [{ secret: 'short' }] });
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'invalid_arguments',
        message: 'providers.add: id: use letters, digits, ".", "_" and "-", starting with a letter or digit; keys[0].secret: paste the whole key (at least 8 characters)',
        issues: [
          { path: 'id', message: 'use letters, digits, ".", "_" and "-", starting with a letter or digit' },
          { path: 'keys[0].secret', message: 'paste the whole key (at least 8 characters)' },
        ],
      },
    });
    expect(settings.writes).toBe(0);
    expect(await secrets.list()).toEqual([]);
  });

  it('refuses a key pasted twice, or one the provider already has', async () => {
    const { control, secrets } = await setup();
    const twice = await control.dispatch('providers.add', { id: 'p', type: 'openai', keys: [{ secret: keyA }, { secret: keyA }] });
    expect(twice.ok ? undefined : twice.error).toEqual({ code: 'conflict', message: 'The same key was pasted twice.' });
    await control.dispatch('providers.add', { id: 'p', type: 'openai', keys: [{ secret: keyA }] });
    const again = await control.dispatch('keys.add', { providerId: 'p', keys: [{ secret: keyA }] });
    expect(again.ok ? undefined : again.error.message).toBe('That key is already added to "p" as key-1.');
    expect(await secrets.list()).toHaveLength(1);
  });

  it('switches keys off and on, removes them and deletes their secrets', async () => {
    const { control, secrets, engine } = await setup();
    await control.dispatch('providers.add', { id: 'p', type: 'openai', keys: [{ secret: keyA }, { secret: keyB }] });
    const off = await control.dispatch('keys.update', { providerId: 'p', keyId: 'key-2', enabled: false });
    expect(off.ok && off.result.keys[1]).toMatchObject({ id: 'key-2', enabled: false, status: 'disabled' });
    expect(engine.config.providers[0]!.keys[1]!.enabled).toBe(false);
    const removed = await control.dispatch('keys.remove', { providerId: 'p', keyId: 'key-1' });
    expect(removed.ok && removed.result.keys.map((key) => key.id)).toEqual(['key-2']);
    expect(await Promise.all((await secrets.list()).map((id) => secrets.get(id)))).toEqual([keyB]);
    const added = await control.dispatch('keys.add', { providerId: 'p', keys: [{ secret: keyA }] });
    expect(added.ok && added.result.keys.map((key) => key.id)).toEqual(['key-2', 'key-1']);
  });

  it('keeps fields it does not know, at every level, through edits', async () => {
    const document = {
      schemaVersion: 1,
      fromTheFuture: { x: 1 },
      config: {
        providers: [{ id: 'p', type: 'openai', futureProviderField: true, keys: [{ id: 'k', secret: { env: 'P_KEY' }, futureKeyField: 'kept' }] }],
        futureConfigField: [1, 2],
      },
      preferences: { theme: 'dark' },
    };
    const { control, settings } = await setup(document, { env: { P_KEY: keyA } });
    const answer = await control.dispatch('keys.update', { providerId: 'p', keyId: 'k', enabled: false });
    expect(answer.ok).toBe(true);
    const saved = await stored(settings);
    expect(saved.fromTheFuture).toEqual({ x: 1 });
    expect(saved.preferences).toEqual({ theme: 'dark' });
    expect(saved.config.futureConfigField).toEqual([1, 2]);
    expect(saved.config.providers).toEqual([
      { id: 'p', type: 'openai', futureProviderField: true, keys: [{ id: 'k', secret: { env: 'P_KEY' }, futureKeyField: 'kept', enabled: false }] },
    ]);
    // Defaults were not frozen into the file.
    expect(saved.config).not.toHaveProperty('server');
  });

  it('does not save, and forgets pasted secrets, when the engine cannot use the change', async () => {
    const settings = new MemorySettingsStore();
    const secrets = new MemorySecretStore();
    const engine: ControlledEngine = {
      url: undefined,
      guard: { snapshot: () => ({ takenAt: 0, providers: [] }), subscribe: () => () => {}, resetKey: () => false },
      runtime: () => ({ clientKeys: [], managementToken: 't' }),
      previewRoute: () => ({ route: 'unused', targets: [] }),
      modelLists: async () => [],
      applyConfig: vi.fn(async (_config: SwitchyardConfig) => {
        throw new Error('provider type "openai" is not available in this build');
      }),
    };
    const control = new ControlService({ mode: 'desktop', version: '1', settings, secrets, engine: () => engine, clientKeyWhere: 'tray' });
    const answer = await control.dispatch('providers.add', { id: 'p', type: 'openai', keys: [{ secret: keyA }] });
    expect(answer.ok ? undefined : answer.error).toEqual({ code: 'unavailable', message: 'Switchyard could not use the changed settings: provider type "openai" is not available in this build' });
    expect(settings.writes).toBe(0);
    expect(await secrets.list()).toEqual([]);
  });

  it('refuses to remove a provider a combo uses, and removes it with its secrets otherwise', async () => {
    const { control, secrets } = await setup();
    await control.dispatch('providers.add', { id: 'p', type: 'openai', models: ['m'], keys: [{ secret: keyA }] });
    await control.dispatch('combos.save', { name: 'c', targets: ['p/m'] });
    const refused = await control.dispatch('providers.remove', { id: 'p' });
    expect(refused.ok ? undefined : refused.error).toEqual({ code: 'conflict', message: '"p" is used by the combo "c". Remove it from there first.' });
    await control.dispatch('combos.remove', { name: 'c' });
    const removed = await control.dispatch('providers.remove', { id: 'p' });
    expect(removed).toEqual({ ok: true, result: { providers: [] } });
    expect(await secrets.list()).toEqual([]);
  });

  it('answers read_only when the settings come from a file it must not rewrite', async () => {
    const settings = new ReadOnlySettingsStore({ providers: [] }, '/etc/switchyard.json', 'Settings come from /etc/switchyard.json.');
    const { control } = await setup(undefined, { settings });
    const answer = await control.dispatch('settings.update', { port: 9000 });
    expect(answer.ok ? undefined : answer.error).toEqual({ code: 'read_only', message: 'Settings come from /etc/switchyard.json.' });
    const status = await control.dispatch('status', {});
    expect(status.ok && status.result.settings).toEqual({ location: '/etc/switchyard.json', writable: false, readOnlyReason: 'Settings come from /etc/switchyard.json.' });
  });
});

describe('control service: combos, settings and events', () => {
  it('creates, reorders, renames, activates and removes combos', async () => {
    const { control, settings, engine } = await setup();
    await control.dispatch('providers.add', { id: 'p', type: 'openai', models: ['a', 'b'], keys: [{ secret: keyA }] });
    await control.dispatch('combos.save', { name: 'fast', targets: ['p/a', 'p/b'] });
    const activated = await control.dispatch('combos.activate', { name: 'fast' });
    expect(activated.ok && activated.result).toEqual({ combos: [{ name: 'fast', strategy: 'fallback', targets: ['p/a', 'p/b'], weights: {}, active: true }], activeCombo: 'fast' });
    expect(engine.config.activeCombo).toBe('fast');

    const renamed = await control.dispatch('combos.save', { name: 'quick', previousName: 'fast', targets: ['p/b', 'p/a'], strategy: 'round-robin' });
    expect(renamed.ok && renamed.result).toEqual({ combos: [{ name: 'quick', strategy: 'round-robin', targets: ['p/b', 'p/a'], weights: {}, active: true }], activeCombo: 'quick' });
    const clash = await control.dispatch('combos.save', { name: 'p', targets: ['p/a'] });
    expect(clash.ok ? undefined : clash.error.message).toBe('"p" is already the name of a provider. Pick another name for the combo.');
    const unknownTarget = await control.dispatch('combos.save', { name: 'x', targets: ['nobody/model'] });
    expect(unknownTarget.ok ? undefined : unknownTarget.error).toMatchObject({ code: 'conflict', message: expect.stringContaining('"nobody/model" names no provider') });

    await control.dispatch('combos.remove', { name: 'quick' });
    const config = (await stored(settings)).config;
    expect(config.combos).toEqual([]);
    expect(config).not.toHaveProperty('activeCombo');
    expect(engine.config.activeCombo).toBeUndefined();
  });

  it('sets weights of a weighted combo, keeps them when a save leaves them out, and clears them when asked', async () => {
    const { control, settings, engine } = await setup();
    await control.dispatch('providers.add', { id: 'p', type: 'openai', models: ['a', 'b'], keys: [{ secret: keyA }] });
    const saved = await control.dispatch('combos.save', { name: 'spread', strategy: 'weighted', targets: ['p/a', 'p/b'], weights: { 'p/a': 3 } });
    expect(saved.ok && saved.result.combos[0]).toEqual({ name: 'spread', strategy: 'weighted', targets: ['p/a', 'p/b'], weights: { 'p/a': 3 }, active: false });
    const storedTargets = async () => ((await stored(settings)).config.combos as Array<{ targets: unknown[] }>)[0]!.targets;
    expect(await storedTargets()).toEqual([{ target: 'p/a', weight: 3 }, 'p/b']);
    expect(engine.config.combos[0]!.targets).toEqual([{ target: 'p/a', weight: 3 }, 'p/b']);

    const reordered = await control.dispatch('combos.save', { name: 'spread', previousName: 'spread', strategy: 'weighted', targets: ['p/b', 'p/a'] });
    expect(reordered.ok && reordered.result.combos[0]!.weights).toEqual({ 'p/a': 3 });
    const cleared = await control.dispatch('combos.save', { name: 'spread', previousName: 'spread', strategy: 'weighted', targets: ['p/b', 'p/a'], weights: {} });
    expect(cleared.ok && cleared.result.combos[0]!.weights).toEqual({});
    expect(await storedTargets()).toEqual(['p/b', 'p/a']);

    const stray = await control.dispatch('combos.save', { name: 'spread', previousName: 'spread', strategy: 'weighted', targets: ['p/a'], weights: { 'p/b': 2 } });
    expect(stray.ok ? undefined : stray.error).toEqual({ code: 'conflict', message: '"p/b" has a weight but is not one of the combo\'s targets.' });
    const negative = await control.dispatch('combos.save', { name: 'spread', targets: ['p/a'], weights: { 'p/a': -1 } });
    expect(negative.ok ? undefined : negative.error.code).toBe('invalid_arguments');
  });

  it('saves port and LAN sharing for the next start and says a restart is needed', async () => {
    const { control, settings } = await setup();
    const before = await control.dispatch('settings.get', {});
    expect(before.ok && before.result).toMatchObject({ port: 8787, lanSharing: false, launchAtLogin: false, launchAtLoginAvailable: false, restartRequired: false });
    const after = await control.dispatch('settings.update', { port: 9100, lanSharing: true });
    expect(after.ok && after.result).toMatchObject({ port: 9100, lanSharing: true, restartRequired: true });
    expect((await stored(settings)).config.server).toEqual({ port: 9100, host: '0.0.0.0' });
    const off = await control.dispatch('settings.update', { lanSharing: false, port: 8787 });
    expect(off.ok && off.result).toMatchObject({ lanSharing: false, restartRequired: false });
    const login = await control.dispatch('settings.update', { launchAtLogin: true });
    expect(login.ok ? undefined : login.error.code).toBe('unavailable');
  });

  it('hands launch at login to the desktop app and records it', async () => {
    const setLaunchAtLogin = vi.fn(async () => {});
    const { control, settings } = await setup(undefined, { desktop: { setLaunchAtLogin } });
    const answer = await control.dispatch('settings.update', { launchAtLogin: true });
    expect(answer.ok && answer.result).toMatchObject({ launchAtLogin: true, launchAtLoginAvailable: true });
    expect(setLaunchAtLogin).toHaveBeenCalledWith(true);
    expect((await stored(settings)).preferences).toEqual({ launchAtLogin: true });
  });

  it('tells listeners about changes and pushes guard snapshots while someone listens', async () => {
    const { control } = await setup(undefined, { snapshotIntervalMs: 10 });
    const seen: string[] = [];
    const stop = control.subscribe((event) => seen.push(event));
    await control.dispatch('providers.add', { id: 'p', type: 'openai', keys: [{ secret: keyA }] });
    await vi.waitFor(() => expect(seen).toEqual(expect.arrayContaining(['config.changed', 'status', 'guard.snapshot'])), { timeout: 2_000 });
    stop();
    const count = seen.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen.length).toBe(count);
    const snapshot = await control.dispatch('guard.snapshot', {});
    expect(snapshot.ok && snapshot.result.providers[0]!.keys[0]).toMatchObject({ id: 'key-1', last4: '1111', state: 'active' });
  });

  it('reports status without secrets', async () => {
    const { control } = await setup();
    const status = await control.dispatch('status', {});
    expect(status.ok && status.result).toMatchObject({ state: 'stopped', mode: 'web', version: '1.2.3', url: null, port: 8787, lanSharing: false, clientKeyLast4: 'cdef', secretStore: 'memory' });
    expect(JSON.stringify(status)).not.toContain('sy-test-client-key');
  });
});

describe('control service: settings it cannot write', () => {
  it('shows what the engine serves and switches the active combo live without saving', async () => {
    const file = { providers: [{ id: 'p', type: 'openai', models: ['m'], keys: [{ id: 'k', secret: { env: 'P_KEY' } }] }], combos: [{ name: 'a', targets: ['p/m'] }, { name: 'b', targets: ['p'] }] };
    const settings = new ReadOnlySettingsStore(file, 'mine.json', 'Edit mine.json.');
    const { control, engine } = await setup(undefined, { settings, env: { P_KEY: keyA } });
    await engine.applyConfig(configSchema.parse(file));
    const switched = await control.dispatch('combos.activate', { name: 'b' });
    expect(switched.ok && switched.result.activeCombo).toBe('b');
    expect(engine.config.activeCombo).toBe('b');
    const status = await control.dispatch('status', {});
    expect(status.ok && status.result.activeCombo).toBe('b');
    const unknown = await control.dispatch('combos.activate', { name: 'zzz' });
    expect(unknown.ok ? undefined : unknown.error.code).toBe('not_found');
    const saved = await control.dispatch('combos.save', { name: 'c', targets: ['p/m'] });
    expect(saved.ok ? undefined : saved.error.code).toBe('read_only');
  });
});
