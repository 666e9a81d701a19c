import { describe, expect, it } from 'vitest';
import { resolveSecret } from './resolve-secret.ts';
import { MemorySecretStore } from './secret-store.ts';

describe('resolveSecret', () => {
  it('reads env and keychain references and inline strings', async () => {
    const keychain = new MemorySecretStore({ 'anthropic.k1': 'sk-from-keychain' });
    expect(await resolveSecret({ env: 'KEY' }, { env: { KEY: 'sk-from-env' } }, 'x')).toBe('sk-from-env');
    expect(await resolveSecret({ keychain: 'anthropic.k1' }, { env: {}, keychain }, 'x')).toBe('sk-from-keychain');
    expect(await resolveSecret('sk-inline', { env: {} }, 'x')).toBe('sk-inline');
  });

  it('names the missing reference, never a value', async () => {
    await expect(resolveSecret({ env: 'NOPE' }, { env: {} }, 'providers[0].keys[0].secret')).rejects.toThrow('providers[0].keys[0].secret: environment variable NOPE is not set');
    await expect(resolveSecret({ env: 'EMPTY' }, { env: { EMPTY: '' } }, 'w')).rejects.toThrow(/EMPTY is not set/);
    await expect(resolveSecret({ keychain: 'id' }, { env: {} }, 'w')).rejects.toThrow(/no keychain in headless mode/);
    await expect(resolveSecret({ keychain: 'id' }, { env: {}, keychain: new MemorySecretStore() }, 'w')).rejects.toThrow(/keychain id is not in the memory/);
  });
});
