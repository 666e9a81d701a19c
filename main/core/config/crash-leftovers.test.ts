import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSecretStore } from '../secrets/file-secret-store.ts';
import { cleanCrashLeftovers } from './crash-leftovers.ts';

/** A pid that is not running: the highest a Linux kernel hands out is 4194304. */
const deadPid = 4_194_999;

describe('crash leftovers in the data dir', () => {
  it('removes temporary files of writers that are gone, and keeps those of live ones and everything else', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-leftovers-'));
    const files = [`secrets.json.${deadPid}.tmp`, `.settings.json.${deadPid}.a1b2c3d4.tmp`, `accounts.json.${process.pid}.tmp`, 'settings.json', 'notes.tmp', 'usage.db'];
    for (const name of files) writeFileSync(join(dataDir, name), '{"fake-key-in-a-leftover":"sk-fake-0000"}');
    const cleaned = await cleanCrashLeftovers({ dataDir });
    expect(cleaned.removedFiles.sort()).toEqual([`.settings.json.${deadPid}.a1b2c3d4.tmp`, `secrets.json.${deadPid}.tmp`]);
    expect(readdirSync(dataDir).sort()).toEqual([`accounts.json.${process.pid}.tmp`, 'notes.tmp', 'settings.json', 'usage.db']);
  });

  it('collects generated secrets no file names any more, in the file store, and keeps named and hand-named ones', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-orphans-'));
    const store = new FileSecretStore(join(dataDir, 'secrets.json'));
    const secrets: Record<string, string> = {
      'openai.key-1.a1b2c3': 'fake-kept-by-settings',
      'openai.key-2.d4e5f6': 'fake-orphan-pasted-key',
      'account:copilot-octo': 'fake-kept-account-tokens',
      'account:codex-gone': 'fake-orphan-account-tokens',
      'client-key.k-claude': 'fake-kept-client-key',
      'client-key.k-old': 'fake-orphan-client-key',
      'my-own-name': 'fake-hand-named-by-the-person',
    };
    for (const [id, secret] of Object.entries(secrets)) await store.set(id, secret);
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ providers: [{ id: 'openai', keys: [{ id: 'key-1', secret: { keychain: 'openai.key-1.a1b2c3' } }] }] }));
    writeFileSync(join(dataDir, 'accounts.json'), JSON.stringify({ accounts: [{ id: 'copilot-octo' }] }));
    writeFileSync(join(dataDir, 'client-keys.json'), JSON.stringify({ keys: [{ id: 'k-claude' }] }));
    const config = join(dataDir, 'elsewhere.json');
    writeFileSync(config, '{}');
    const cleaned = await cleanCrashLeftovers({ dataDir, secrets: store, configFiles: [config] });
    expect(cleaned.removedSecrets.sort()).toEqual(['account:codex-gone', 'client-key.k-old', 'openai.key-2.d4e5f6']);
    expect((await store.list()).sort()).toEqual(['account:copilot-octo', 'client-key.k-claude', 'my-own-name', 'openai.key-1.a1b2c3']);
  });

  it('a secret named only by a config file outside the data dir is kept', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-orphans-'));
    const store = new FileSecretStore(join(dataDir, 'secrets.json'));
    await store.set('gem.key-1.0a0b0c', 'fake-gemini-key');
    const config = join(mkdtempSync(join(tmpdir(), 'switchyard-config-')), 'switchyard.json');
    writeFileSync(config, JSON.stringify({ providers: [{ id: 'gem', keys: [{ id: 'key-1', secret: { keychain: 'gem.key-1.0a0b0c' } }] }] }));
    expect((await cleanCrashLeftovers({ dataDir, secrets: store, configFiles: [config] })).removedSecrets).toEqual([]);
    expect(await store.list()).toEqual(['gem.key-1.0a0b0c']);
  });
});
