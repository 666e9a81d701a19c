import { describe, expect, it } from 'vitest';
import type { KeytarApi } from './keytar-secret-store.ts';
import { KeychainUnavailableError, KeytarSecretStore } from './keytar-secret-store.ts';

function fakeKeytar(): KeytarApi & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  const name = (service: string, account: string) => `${service}\u0000${account}`;
  return {
    entries,
    async getPassword(service, account) {
      return entries.get(name(service, account)) ?? null;
    },
    async setPassword(service, account, password) {
      entries.set(name(service, account), password);
    },
    async deletePassword(service, account) {
      return entries.delete(name(service, account));
    },
    async findCredentials(service) {
      return [...entries].filter(([key]) => key.startsWith(`${service}\u0000`)).map(([key, password]) => ({ account: key.split('\u0000')[1]!, password }));
    },
  };
}

describe('KeytarSecretStore', () => {
  it('files every secret under its service name and lists ids only, sorted', async () => {
    const keytar = fakeKeytar();
    const store = new KeytarSecretStore(keytar, 'Switchyard');
    await store.set('b', 'secret-b');
    await store.set('a', 'secret-a');
    await new KeytarSecretStore(keytar, 'Other').set('c', 'secret-c');
    expect(await store.list()).toEqual(['a', 'b']);
    expect(await store.get('missing')).toBeUndefined();
    expect([...keytar.entries.keys()]).toContain('Switchyard\u0000a');
  });

  it('rejects empty or control-character ids and empty secrets before touching the keychain', async () => {
    const store = new KeytarSecretStore(fakeKeytar());
    await expect(store.get('')).rejects.toThrow(TypeError);
    await expect(store.set('line\nbreak', 'x')).rejects.toThrow(TypeError);
    await expect(store.set('id', '')).rejects.toThrow(TypeError);
    await expect(store.get('x'.repeat(201))).rejects.toThrow(TypeError);
  });

  it('turns keychain failures into KeychainUnavailableError that names the operation', async () => {
    const broken: KeytarApi = {
      getPassword: () => Promise.reject(new Error('The name org.freedesktop.secrets was not provided by any .service files')),
      setPassword: () => Promise.reject(new Error('Cannot create an item in a locked collection')),
      deletePassword: () => Promise.reject(new Error('locked')),
      findCredentials: () => Promise.reject(new Error('no bus')),
    };
    const store = new KeytarSecretStore(broken);
    await expect(store.get('id')).rejects.toThrow(KeychainUnavailableError);
    await expect(store.set('id', 'sk-secret-value')).rejects.toThrow(/could not store a secret \(Cannot create an item in a locked collection\)/);
    await expect(store.probe()).rejects.toThrow(/could not list secrets/);
  });
});
