import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeychainUnavailableError, KeytarSecretStore } from '../../main/core/secrets/keytar-secret-store.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

// These tests talk to a REAL Secret Service (gnome-keyring) over D-Bus. `npm test` starts one (test/run-tests.sh);
// by hand:  dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null;
//           node_modules/.bin/vitest run --config test/vitest.config.ts --project keychain'
// Without one they fail; they never skip.

/** Item paths the Secret Service daemon itself holds for these attributes: a second process's view, not keytar's. */
async function searchSecretService(attributes: Record<string, string>): Promise<string[]> {
  const dictionary = Object.entries(attributes).flat().join(',');
  const { stdout } = await run(
    'dbus-send',
    ['--session', '--print-reply', '--dest=org.freedesktop.secrets', '/org/freedesktop/secrets', 'org.freedesktop.Secret.Service.SearchItems', `dict:string:string:${dictionary}`],
    { timeout: 10_000 },
  );
  return [...stdout.matchAll(/object path "([^"]+)"/g)].map((match) => match[1]!);
}

describe('KeytarSecretStore on a real Secret Service', () => {
  // A service name of our own per run, so parallel runs and a developer's real keyring never see each other.
  const service = `Switchyard-test-${process.pid}-${randomBytes(4).toString('hex')}`;
  const store = new KeytarSecretStore(keytar, service);

  beforeAll(async () => {
    if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
      throw new Error('No D-Bus session (DBUS_SESSION_BUS_ADDRESS is unset): run these tests through `npm test` or under dbus-run-session with gnome-keyring (see the comment at the top of this file).');
    }
    // Fails here, loudly, when no Secret Service answers on the bus.
    await store.probe();
  });

  afterAll(async () => {
    for (const id of await store.list().catch(() => [])) await store.delete(id).catch(() => {});
  });

  it('stores, reads, lists and deletes secrets', async () => {
    const first = `sk-ant-${randomBytes(24).toString('base64url')}`;
    const second = `AIza${randomBytes(24).toString('base64url')}`;
    await store.set('anthropic/personal', first);
    await store.set('gemini/key-2', second);

    expect(await store.get('anthropic/personal')).toBe(first);
    expect(await store.get('gemini/key-2')).toBe(second);
    expect(await store.list()).toEqual(['anthropic/personal', 'gemini/key-2']);

    // The daemon holds the items: another process on the bus finds them by the attributes keytar files them under.
    expect(await searchSecretService({ service, account: 'gemini/key-2' })).toHaveLength(1);

    expect(await store.delete('anthropic/personal')).toBe(true);
    expect(await store.get('anthropic/personal')).toBeUndefined();
    expect(await store.list()).toEqual(['gemini/key-2']);
    expect(await store.delete('anthropic/personal')).toBe(false);

    expect(await store.delete('gemini/key-2')).toBe(true);
    expect(await store.list()).toEqual([]);
    expect(await searchSecretService({ service, account: 'gemini/key-2' })).toEqual([]);
  });

  it('replaces a secret in place and keeps unusual characters intact', async () => {
    await store.set('openai/team', 'old-value-0000');
    const replacement = `näive-ключ-🔑-${'x'.repeat(2_000)}`;
    await store.set('openai/team', replacement);
    expect(await store.get('openai/team')).toBe(replacement);
    expect(await store.list()).toEqual(['openai/team']);
    expect(await searchSecretService({ service, account: 'openai/team' })).toHaveLength(1);
    await store.delete('openai/team');
  });

  it('keeps services apart', async () => {
    const other = new KeytarSecretStore(keytar, `${service}-other`);
    await store.set('shared-id', 'value-of-the-first-service');
    try {
      expect(await other.get('shared-id')).toBeUndefined();
      expect(await other.list()).toEqual([]);
    } finally {
      await store.delete('shared-id');
    }
  });

  it('reports an unreachable keychain as KeychainUnavailableError, without the secret', async () => {
    // libsecret keeps its first D-Bus connection for the life of a process, so the broken bus is tried in a child.
    const script = `
      import keytar from 'keytar';
      import { KeytarSecretStore } from './main/core/secrets/keytar-secret-store.ts';
      const store = new KeytarSecretStore(keytar, 'Switchyard-unreachable');
      try { await store.set('id', 'do-not-print-this-secret'); console.log('stored'); }
      catch (error) { console.log(JSON.stringify({ name: error.name, message: error.message })); }
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      timeout: 60_000,
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/switchyard-test-bus', DISPLAY: '' },
    });
    const reported = JSON.parse(stdout.trim().split('\n').at(-1)!) as { name: string; message: string };
    expect(reported.name).toBe(KeychainUnavailableError.name);
    expect(reported.message).toMatch(/OS keychain could not store a secret/);
    expect(reported.message).not.toContain('do-not-print-this-secret');
  });
});
