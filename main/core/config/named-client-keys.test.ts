import { readFile, stat } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryFolders } from '../../../test/helpers/temp-folders.ts';
import { MemorySecretStore } from '../secrets/secret-store.ts';
import { NamedClientKeys, namedClientKeySecretId } from './named-client-keys.ts';

const folders = temporaryFolders('keys');
const dataDir = () => folders.make();
afterEach(() => folders.cleanup());

describe('named client keys', () => {
  it('creates a key per tool, lists it without the secret, and keeps the secret only in the SecretStore', async () => {
    const secrets = new MemorySecretStore();
    const keys = new NamedClientKeys(await dataDir(), { secrets, now: () => Date.UTC(2026, 0, 2) });
    const created = await keys.create('claude-code');
    expect(created.secret).toMatch(/^sy-/);
    expect(keys.list()).toEqual([{ id: created.id, name: 'claude-code', created: '2026-01-02T00:00:00.000Z', last4: created.secret.slice(-4) }]);
    const onDisk = await readFile(keys.path, 'utf8');
    expect(onDisk).not.toContain(created.secret);
    expect((await stat(keys.path)).mode & 0o777).toBe(0o600);
    expect(await secrets.get(namedClientKeySecretId(created.id))).toBe(created.secret);
    expect(await keys.secret(created.id)).toBe(created.secret);
    expect(keys.matches(created.secret)).toBe(true);
    expect(keys.find(created.secret)?.name).toBe('claude-code');
    expect(keys.matches('sy-fake-not-a-key')).toBe(false);
    expect(keys.matches(undefined)).toBe(false);
    expect(keys.matches('')).toBe(false);
  });

  it('revoking one tool leaves the others working, and another process sees both changes at once', async () => {
    const folder = await dataDir();
    const writer = new NamedClientKeys(folder);
    const engineSide = new NamedClientKeys(folder);
    expect(engineSide.matches('sy-fake')).toBe(false); // caches "absent"
    const claude = await writer.create('claude-code');
    const codex = await writer.create('codex');
    expect(engineSide.matches(claude.secret)).toBe(true);
    expect(engineSide.matches(codex.secret)).toBe(true);
    expect((await writer.revoke('claude-code')).map((key) => key.id)).toEqual([claude.id]);
    expect(engineSide.matches(claude.secret)).toBe(false);
    expect(engineSide.matches(codex.secret)).toBe(true);
    expect(await writer.revoke(codex.id)).toHaveLength(1);
    expect(engineSide.matches(codex.secret)).toBe(false);
    expect(await writer.revoke('nothing-by-that-name')).toEqual([]);
  });

  it('two creates at once both survive', async () => {
    const keys = new NamedClientKeys(await dataDir());
    const [first, second] = await Promise.all([keys.create('codex'), keys.create('gemini-cli')]);
    expect(keys.list().map((key) => key.id).sort()).toEqual([first.id, second.id].sort());
  });

  it('refuses names that could not be shown or typed safely', async () => {
    const keys = new NamedClientKeys(await dataDir());
    await expect(keys.create('')).rejects.toThrow(/name is 1 to 64/);
    await expect(keys.create('a\nb')).rejects.toThrow(/name is 1 to 64/);
  });
});
