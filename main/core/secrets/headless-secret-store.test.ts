import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSecretStore } from './file-secret-store.ts';
import type { KeytarApi } from './keytar-secret-store.ts';
import { KeytarSecretStore } from './keytar-secret-store.ts';
import { openHeadlessSecretStore } from './open-headless-secret-store.ts';

const directories: string[] = [];
async function directory(): Promise<string> {
  const made = await mkdtemp(join(tmpdir(), 'switchyard-secrets-'));
  directories.push(made);
  return made;
}

afterEach(async () => {
  for (const made of directories.splice(0)) await rm(made, { recursive: true, force: true });
});

function fakeKeytar(): KeytarApi & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    getPassword: async (service, account) => entries.get(`${service}/${account}`) ?? null,
    setPassword: async (service, account, password) => void entries.set(`${service}/${account}`, password),
    deletePassword: async (service, account) => entries.delete(`${service}/${account}`),
    findCredentials: async (service) =>
      [...entries].filter(([key]) => key.startsWith(`${service}/`)).map(([key, password]) => ({ account: key.slice(service.length + 1), password })),
  };
}

describe('file secret store (headless fallback)', () => {
  it('keeps secrets in a 0600 file and loses none when written at once', async () => {
    const store = new FileSecretStore(join(await directory(), 'data', 'secrets.json'));
    await Promise.all(Array.from({ length: 10 }, (_, index) => store.set(`id-${index}`, `secret-${index}`)));
    expect(await store.list()).toHaveLength(10);
    expect(await store.get('id-3')).toBe('secret-3');
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    expect(await store.delete('id-3')).toBe(true);
    expect(await store.delete('id-3')).toBe(false);
    expect(JSON.parse(await readFile(store.path, 'utf8'))).not.toHaveProperty('id-3');
  });
});

describe('choosing the headless secret store', () => {
  it('uses the OS keychain when it answers', async () => {
    const keytar = fakeKeytar();
    const choice = await openHeadlessSecretStore(await directory(), {}, { loadKeytar: async () => keytar });
    expect(choice.store).toBeInstanceOf(KeytarSecretStore);
    await choice.store.set('a.b', 'value');
    expect(keytar.entries.get('Switchyard/a.b')).toBe('value');
  });

  it('falls back to the file, saying why, when the keychain fails or hangs', async () => {
    const failing = await openHeadlessSecretStore(await directory(), {}, { loadKeytar: async () => { throw new Error('libsecret-1.so.0: cannot open shared object file'); } });
    expect(failing.store).toBeInstanceOf(FileSecretStore);
    expect(failing.reason).toMatch(/because the OS keychain is not reachable: libsecret/);
    const hanging = { ...fakeKeytar(), findCredentials: () => new Promise<never>(() => {}) };
    const slow = await openHeadlessSecretStore(await directory(), {}, { loadKeytar: async () => hanging, probeTimeoutMs: 50 });
    expect(slow.reason).toMatch(/did not answer within 50 ms/);
  });

  it('obeys SWITCHYARD_SECRET_STORE, and fails loudly when a forced keychain is missing', async () => {
    const forcedFile = await openHeadlessSecretStore(await directory(), { SWITCHYARD_SECRET_STORE: 'file' }, { loadKeytar: async () => fakeKeytar() });
    expect(forcedFile.store).toBeInstanceOf(FileSecretStore);
    await expect(
      openHeadlessSecretStore(await directory(), { SWITCHYARD_SECRET_STORE: 'keychain' }, { loadKeytar: async () => { throw new Error('no D-Bus'); } }),
    ).rejects.toThrow('SWITCHYARD_SECRET_STORE=keychain, but the OS keychain is not reachable: no D-Bus');
    await expect(openHeadlessSecretStore(await directory(), { SWITCHYARD_SECRET_STORE: 'vault' })).rejects.toThrow(/must be "keychain" or "file"/);
  });
});
