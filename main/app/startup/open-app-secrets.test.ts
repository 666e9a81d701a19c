import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeytarApi } from '../../core/secrets/keytar-secret-store.ts';
import { clientKeySecretId, managementTokenSecretId, openAppSecrets } from './open-app-secrets.ts';

function memoryKeytar(): KeytarApi & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    getPassword: async (_service, account) => entries.get(account) ?? null,
    setPassword: async (_service, account, password) => void entries.set(account, password),
    deletePassword: async (_service, account) => entries.delete(account),
    findCredentials: async () => [...entries].map(([account, password]) => ({ account, password })),
  };
}

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'switchyard-secrets-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('openAppSecrets', () => {
  it('keeps the client key and management token in the keychain, generated once', async () => {
    const keytar = memoryKeytar();
    const first = await openAppSecrets({ keytar: async () => keytar, dataDir });
    expect(first.store.kind).toBe('OS keychain');
    expect(first.problem).toBeUndefined();
    expect(first.local.clientKey).toMatch(/^sy-/);
    expect(keytar.entries.get(clientKeySecretId)).toBe(first.local.clientKey);
    expect(keytar.entries.get(managementTokenSecretId)).toBe(first.local.managementToken);
    const second = await openAppSecrets({ keytar: async () => keytar, dataDir });
    expect(second.local).toEqual(first.local);
  });

  it("takes over the key `serve` generated in this data dir, so configured clients keep working", async () => {
    await writeFile(join(dataDir, 'credentials.json'), JSON.stringify({ clientKey: 'sy-from-serve', managementToken: 'sym-from-serve' }));
    const keytar = memoryKeytar();
    const secrets = await openAppSecrets({ keytar: async () => keytar, dataDir });
    expect(secrets.local).toEqual({ clientKey: 'sy-from-serve', managementToken: 'sym-from-serve' });
    expect(keytar.entries.get(clientKeySecretId)).toBe('sy-from-serve');
  });

  it('falls back to private files and says why when no keychain answers', async () => {
    const broken: KeytarApi = { ...memoryKeytar(), findCredentials: () => Promise.reject(new Error('The name org.freedesktop.secrets was not provided')) };
    const secrets = await openAppSecrets({ keytar: async () => broken, dataDir });
    expect(secrets.store.kind).toBe('file in the data dir (0600)');
    expect(secrets.problem?.summary).toBe('no OS keychain; keys kept in a private file');
    expect(secrets.problem?.detail).toContain('org.freedesktop.secrets');
    expect(JSON.parse(await readFile(join(dataDir, 'credentials.json'), 'utf8')).clientKey).toBe(secrets.local.clientKey);
  });

  it('falls back when keytar itself cannot load, or the keychain does not answer in time', async () => {
    const missing = await openAppSecrets({ keytar: () => Promise.reject(new Error('Cannot find module keytar.node')), dataDir });
    expect(missing.problem?.detail).toContain('keytar.node');
    const hanging: KeytarApi = { ...memoryKeytar(), findCredentials: () => new Promise(() => {}) };
    const slow = await openAppSecrets({ keytar: async () => hanging, dataDir, probeTimeoutMs: 50 });
    expect(slow.problem?.detail).toContain('no answer within');
  });
});
