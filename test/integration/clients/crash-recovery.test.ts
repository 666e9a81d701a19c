import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientSetup } from '../../../main/core/clients/client-setup.ts';
import { NamedClientKeys } from '../../../main/core/config/named-client-keys.ts';
import { runToEnd } from '../../helpers/cli-process.ts';
import { temporaryFolders } from '../../helpers/temp-folders.ts';

// A configure killed for real (SIGKILL, no chance to clean up) right after its backup is durable and before it
// touched the tool's file; a new process (as after a reboot, or a reinstall of the app) undoes it from the data dir.

const folders = temporaryFolders('crash');
afterEach(() => folders.cleanup());
const setupModule = pathToFileURL(join(import.meta.dirname, '..', '..', '..', 'main', 'core', 'clients', 'client-setup.ts')).href;
const keysModule = pathToFileURL(join(import.meta.dirname, '..', '..', '..', 'main', 'core', 'config', 'named-client-keys.ts')).href;

const script = `
const { ClientSetup } = await import(${JSON.stringify(setupModule)});
const { NamedClientKeys } = await import(${JSON.stringify(keysModule)});
const [home, dataDir, client] = process.argv.slice(1);
const setup = new ClientSetup({ dataDir, home, origin: 'http://127.0.0.1:18787', keys: new NamedClientKeys(dataDir), env: {} });
await setup.configure(client, { afterBackup: () => process.kill(process.pid, 'SIGKILL') });
`;

describe('a configure killed mid-apply', () => {
  it.each([
    ['codex', '.codex/config.toml', '# mine\nmodel = "gpt-5"\n'],
    ['claude-code', '.claude/settings.json', '{ "model": "opus" }'],
  ])('%s: undo in a new process restores the earlier bytes', async (client, path, original) => {
    const home = await folders.make();
    const dataDir = await folders.make();
    await mkdir(join(home, path, '..'), { recursive: true });
    await writeFile(join(home, path), original);
    const killed = await runToEnd(process.execPath, ['--input-type=module', '-e', script, home, dataDir, client], { env: { PATH: process.env.PATH ?? '' }, timeoutMs: 30_000 });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');

    const keys = new NamedClientKeys(dataDir);
    const setup = new ClientSetup({ dataDir, home, origin: 'http://127.0.0.1:18787', keys, env: {} });
    const [status] = (await setup.status()).filter((entry) => entry.client === client);
    expect(status?.interrupted).toBe(true);
    const undone = await setup.undo(client as 'codex');
    expect(undone?.restored).toEqual([join(home, path)]);
    expect(await readFile(join(home, path), 'utf8')).toBe(original);
    expect(keys.list()).toEqual([]); // the key of the killed run was never written to the file; undo leaves none behind
  });
});
