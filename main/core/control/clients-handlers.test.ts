import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUpstream } from '../../../test/helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../../test/helpers/fake-upstream/fake-upstream.ts';
import type { RunningEngine } from '../../../test/helpers/start-engine.ts';
import { startEngine } from '../../../test/helpers/start-engine.ts';
import { temporaryFolders } from '../../../test/helpers/temp-folders.ts';
import { NamedClientKeys } from '../config/named-client-keys.ts';
import { MemorySecretStore } from '../secrets/secret-store.ts';
import { MemorySettingsStore } from '../settings/settings-store.ts';

const providerKey = 'sk-ant-fake.provider.key.for.tests.0001';
const earlierKey = 'sk-ant-fake.earlier.user.key.for.tests.9999';
const folders = temporaryFolders('switchyard-clients-handlers-');
let upstream: FakeUpstream;
let running: RunningEngine | undefined;

beforeAll(async () => {
  upstream = await startFakeUpstream('anthropic', { keys: [providerKey] });
});
afterAll(async () => {
  await upstream.close();
  await folders.cleanup();
});
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(withProvider = true) {
  const home = await folders.make();
  const dataDir = await folders.make();
  const secrets = new MemorySecretStore();
  const keys = new NamedClientKeys(dataDir, { secrets });
  const config = withProvider
    ? { providers: [{ id: 'claude', type: 'anthropic' as const, baseUrl: upstream.url, models: ['claude-sonnet-4-5'], keys: [{ id: 'k', secret: { env: 'ANTHROPIC_FAKE' } }] }] }
    : {};
  const settings = new MemorySettingsStore({ schemaVersion: 1, config, preferences: {} });
  running = await startEngine(config, { env: { ANTHROPIC_FAKE: providerKey }, settings, keychain: secrets, namedClientKeys: keys, clients: { dataDir, keys, home } });
  const control = running.dashboard.control;
  return { home, dataDir, keys, control, settings };
}

async function call<C extends Parameters<RunningEngine['dashboard']['control']['dispatch']>[0]>(control: RunningEngine['dashboard']['control'], channel: C, args: unknown = {}) {
  const answer = await control.dispatch(channel, args);
  if (!answer.ok) throw new Error(`${channel}: ${answer.error.code}: ${answer.error.message}`);
  return answer.result;
}

describe('clients channels', () => {
  it('plans with masked keys, configures, tests in the tool format with its own key, and undoes byte for byte', async () => {
    const { home, control, keys } = await start();
    const settingsPath = join(home, '.claude', 'settings.json');
    await mkdir(join(home, '.claude'));
    const original = `{\n  "theme": "dark",\n  "env": { "ANTHROPIC_API_KEY": "${earlierKey}" }\n}\n`;
    await writeFile(settingsPath, original);

    const before = await call(control, 'clients.status');
    expect(before.clients.find((client) => client.client === 'claude-code')?.pointsAt).toBe('vendor');

    const plan = await call(control, 'clients.plan', { client: 'claude-code' });
    expect(plan.changed).toBe(true);
    expect(plan.keyAction).toBe('create');
    expect(JSON.stringify(plan)).not.toContain(earlierKey);
    expect(plan.files[0]?.before).toContain('****9999');
    expect(plan.files[0]?.after).toContain('ANTHROPIC_BASE_URL');
    expect(await readFile(settingsPath, 'utf8')).toBe(original);

    const configured = await call(control, 'clients.configure', { client: 'claude-code' });
    expect(configured.keyCreated).toBe(true);
    expect(configured.written).toEqual([settingsPath]);
    expect(configured.status.pointsAt).toBe('switchyard');
    expect(configured.status.key).toBe('valid');
    const written = JSON.parse(await readFile(settingsPath, 'utf8')) as { theme: string; env: Record<string, string> };
    expect(written.theme).toBe('dark');
    expect(written.env.ANTHROPIC_BASE_URL).toBe(running!.url);
    expect(JSON.stringify(configured)).not.toContain(written.env.ANTHROPIC_AUTH_TOKEN);

    const again = await call(control, 'clients.configure', { client: 'claude-code' });
    expect(again.changed).toBe(false);
    expect(again.keyCreated).toBe(false);

    upstream.requests.length = 0;
    const test = await call(control, 'clients.test', { client: 'claude-code' });
    expect(test).toMatchObject({ ok: true, format: 'anthropic', providerId: 'claude', requested: 'claude/claude-sonnet-4-5' });
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]?.operation).toBe('messages');

    const undone = await call(control, 'clients.undo', { client: 'claude-code' });
    expect(undone.undone).toBe(true);
    expect(undone.revokedKeys.map((key) => key.name)).toEqual(['claude-code']);
    expect(await readFile(settingsPath, 'utf8')).toBe(original);
    expect(keys.list()).toEqual([]);
    expect(undone.status.pointsAt).toBe('vendor');

    const nothing = await call(control, 'clients.undo', { client: 'claude-code' });
    expect(nothing.undone).toBe(false);
  });

  it('reports a malformed file as a conflict and leaves it untouched', async () => {
    const { home, control, keys } = await start();
    await mkdir(join(home, '.codex'));
    const broken = 'model_provider = "switchyard\n[model_providers\n';
    await writeFile(join(home, '.codex', 'config.toml'), broken);
    const answer = await control.dispatch('clients.configure', { client: 'codex' });
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.code).toBe('conflict');
    expect(answer.error.message).toContain('config.toml');
    expect(await readFile(join(home, '.codex', 'config.toml'), 'utf8')).toBe(broken);
    expect(keys.list()).toEqual([]);
    const status = await call(control, 'clients.status');
    expect(status.clients.find((client) => client.client === 'codex')?.problem).toContain('config.toml');
  });

  it('refuses an unknown tool in the caller-facing error format', async () => {
    const { control } = await start();
    const answer = await control.dispatch('clients.configure', { client: 'notepad' });
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.code).toBe('invalid_arguments');
  });

  it('shows a new client key once, then only its last four, and revokes it', async () => {
    const { control, keys } = await start();
    const created = await call(control, 'clientKeys.create', { name: 'cursor' });
    expect(created.secret.endsWith(created.key.last4)).toBe(true);
    expect(keys.matches(created.secret)).toBe(true);
    const listed = await call(control, 'clientKeys.list');
    expect(listed.keys.map((key) => key.name)).toEqual(['cursor']);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    const revoked = await call(control, 'clientKeys.revoke', { idOrName: created.key.id });
    expect(revoked.keys).toEqual([]);
    expect(keys.matches(created.secret)).toBe(false);
    const missing = await control.dispatch('clientKeys.revoke', { idOrName: 'cursor' });
    expect(missing.ok ? 'ok' : missing.error.code).toBe('not_found');
  });

  it('saves the wizard progress in the settings and says when it is a first run', async () => {
    const { control, settings } = await start(false);
    expect(await call(control, 'setup.get')).toEqual({ state: null, firstRun: true });
    const state = { step: 'combo', tools: ['claude-code'], providerId: null, combo: null, configured: [], outcome: 'open' };
    expect(await call(control, 'setup.save', { state })).toEqual({ state, firstRun: true });
    expect(JSON.stringify(await settings.read())).toContain('"step":"combo"');
    const cancelled = await call(control, 'setup.save', { state: { ...state, outcome: 'cancelled' } });
    expect(cancelled.firstRun).toBe(false);
    const bad = await control.dispatch('setup.save', { state: { ...state, step: 'nowhere' } });
    expect(bad.ok).toBe(false);
  });
});
