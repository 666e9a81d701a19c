import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryFolders } from '../../../test/helpers/temp-folders.ts';
import { NamedClientKeys } from '../config/named-client-keys.ts';
import type { ClientId } from './client-module.ts';
import { MalformedClientFileError } from './client-module.ts';
import { ClientSetup } from './client-setup.ts';

const folders = temporaryFolders('clients');
afterEach(() => folders.cleanup());
const origin = 'http://127.0.0.1:18787';

interface Case {
  id: ClientId;
  /** Existing files (relative to HOME) with unknown keys, comments and the tool's own settings. */
  existing: Record<string, string>;
  /** Lines of the existing files that must survive configure unchanged. */
  kept: string[];
  malformed: Record<string, string>;
  malformedLine: number;
  /** Reads base URL and key back the way the tool would. */
  readBack(files: Record<string, string>): { baseUrl: unknown; key: unknown };
}

const claudeSettings = '{\n    "model": "opus",\n    "permissions": { "allow": ["Bash(ls:*)"] },\n    "env": {\n        "DISABLE_TELEMETRY": "1"\n    }\n}\n';
const codexConfig = [
  '# Codex settings, kept by hand',
  'model = "gpt-5.5" # the default model',
  'approval_policy = "on-request"',
  '',
  '[model_providers.ollama]',
  'name = "Ollama"',
  'base_url = "http://localhost:11434/v1"',
  '',
  '[mcp_servers.docs]',
  'command = "npx"',
  'args = [',
  '  "-y", # comment inside a list',
  '  "[not-a-table]",',
  ']',
  'prompt = """',
  'model_provider = "not-this-one"',
  '"""',
  '',
].join('\n');

const cases: Case[] = [
  {
    id: 'claude-code',
    existing: { '.claude/settings.json': claudeSettings },
    kept: ['    "model": "opus",', '        "DISABLE_TELEMETRY": "1",'],
    malformed: { '.claude/settings.json': '{\n  "env": {\n    "A": "1",,\n  }\n}\n' },
    malformedLine: 3,
    readBack: (files) => {
      const env = (JSON.parse(files['.claude/settings.json'] ?? '{}') as { env: Record<string, string> }).env;
      return { baseUrl: env.ANTHROPIC_BASE_URL, key: env.ANTHROPIC_AUTH_TOKEN };
    },
  },
  {
    id: 'codex',
    existing: { '.codex/config.toml': codexConfig },
    kept: codexConfig.split('\n').filter((line) => line !== ''),
    malformed: { '.codex/config.toml': 'model = "gpt-5"\n[model_providers.x\nname = "X"\n' },
    malformedLine: 2,
    readBack: (files) => {
      const config = parseToml(files['.codex/config.toml'] ?? '') as { model_provider: string; model_providers: Record<string, Record<string, string>> };
      const provider = config.model_providers[config.model_provider] ?? {};
      expect(provider.wire_api).toBe('responses');
      return { baseUrl: provider.base_url, key: provider.experimental_bearer_token };
    },
  },
  {
    id: 'gemini-cli',
    existing: {
      '.gemini/.env': '# my Gemini settings\nexport GOOGLE_CLOUD_PROJECT=my-project\nGEMINI_API_KEY="vendor-key-fake"\n',
      '.gemini/settings.json': '{\n  // comments are allowed here\n  "ui": { "theme": "GitHub" },\n  "security": { "auth": { "selectedType": "gemini-api-key" } },\n}\n',
    },
    kept: ['# my Gemini settings', 'export GOOGLE_CLOUD_PROJECT=my-project', '  // comments are allowed here', '  "ui": { "theme": "GitHub" },'],
    malformed: { '.gemini/settings.json': '{\n  "security": [\n}\n' },
    malformedLine: 3,
    readBack: (files) => {
      const values = Object.fromEntries((files['.gemini/.env'] ?? '').split('\n').filter((line) => line.includes('=')).map((line) => line.replace(/^export /, '').split(/=(.*)/s).slice(0, 2)));
      expect(files['.gemini/settings.json']).toContain('"selectedType": "gemini-api-key"');
      return { baseUrl: values.GOOGLE_GEMINI_BASE_URL, key: values.GEMINI_API_KEY };
    },
  },
];

async function writeFiles(home: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(home, path)), { recursive: true });
    await writeFile(join(home, path), text);
  }
}

async function readFiles(home: string, paths: string[]): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const path of paths) files[path] = await readFile(join(home, path), 'utf8').catch(() => '<absent>');
  return files;
}

async function setup(): Promise<{ home: string; dataDir: string; keys: NamedClientKeys; clients: ClientSetup }> {
  const home = await folders.make();
  const dataDir = await folders.make();
  const keys = new NamedClientKeys(dataDir);
  return { home, dataDir, keys, clients: new ClientSetup({ dataDir, home, origin, keys, env: { PATH: '' } }) };
}

const pathsOf = (item: Case): string[] => (item.id === 'claude-code' ? ['.claude/settings.json'] : item.id === 'codex' ? ['.codex/config.toml'] : ['.gemini/.env', '.gemini/settings.json']);

describe.each(cases)('$id files', (item) => {
  it('a fresh HOME: creates the files (0600) pointing at Switchyard with a key of its own; undo removes them', async () => {
    const { home, keys, clients } = await setup();
    expect((await clients.statusOf(await moduleOf(item.id))).pointsAt).toBe('vendor');
    const result = await clients.configure(item.id);
    expect(result.keyCreated).toBe(true);
    expect(result.key.name).toBe(item.id);
    const files = await readFiles(home, pathsOf(item));
    const { baseUrl, key } = item.readBack(files);
    expect(String(baseUrl).startsWith(origin)).toBe(true);
    expect(keys.find(String(key))?.name).toBe(item.id);
    for (const path of pathsOf(item)) expect((await stat(join(home, path))).mode & 0o777).toBe(0o600);
    const status = await clients.statusOf(await moduleOf(item.id));
    expect(status).toMatchObject({ pointsAt: 'switchyard', key: 'valid', keyName: item.id, backedUp: true, interrupted: false });

    const undone = await clients.undo(item.id);
    expect(undone?.removed.sort()).toEqual(pathsOf(item).map((path) => join(home, path)).sort());
    expect(undone?.revokedKeys.map((revoked) => revoked.name)).toEqual([item.id]);
    expect(Object.values(await readFiles(home, pathsOf(item)))).toEqual(pathsOf(item).map(() => '<absent>'));
    await expect(stat(join(home, pathsOf(item)[0]?.split('/')[0] ?? ''))).rejects.toThrow(); // the folder it created is gone too
    expect(keys.matches(String(key))).toBe(false);
    expect(await clients.undo(item.id)).toBeUndefined();
  });

  it('existing files: only the owned keys change, everything else is kept; undo restores the exact bytes', async () => {
    const { home, clients } = await setup();
    await writeFiles(home, item.existing);
    const before = await readFiles(home, pathsOf(item));
    const plan = await clients.plan(item.id);
    expect(plan.keyAction).toBe('create');
    expect(plan.changed).toBe(true);
    expect(plan.files.map((file) => file.before)).toEqual(pathsOf(item).map((path) => item.existing[path]));
    expect(await readFiles(home, pathsOf(item))).toEqual(before); // planning writes nothing

    await clients.configure(item.id);
    const after = await readFiles(home, pathsOf(item));
    const afterLines = Object.values(after).join('\n').split('\n');
    for (const line of item.kept) expect(afterLines).toContain(line);
    expect(String(item.readBack(after).baseUrl).startsWith(origin)).toBe(true);

    await clients.undo(item.id);
    expect(await readFiles(home, pathsOf(item))).toEqual(before);
  });

  it('configure twice: the second run changes nothing and keeps the same key; undo still returns to the first state', async () => {
    const { home, keys, clients } = await setup();
    await writeFiles(home, item.existing);
    const before = await readFiles(home, pathsOf(item));
    const first = await clients.configure(item.id);
    const once = await readFiles(home, pathsOf(item));
    const second = await clients.configure(item.id);
    expect(second.keyCreated).toBe(false);
    expect(second.key.id).toBe(first.key.id);
    expect(second.plan.changed).toBe(false);
    expect(await readFiles(home, pathsOf(item))).toEqual(once);
    expect(keys.list()).toHaveLength(1);
    await clients.undo(item.id);
    expect(await readFiles(home, pathsOf(item))).toEqual(before);
  });

  it('a malformed file is reported with its path and line and left untouched; no key is created', async () => {
    const { home, keys, clients } = await setup();
    await writeFiles(home, item.malformed);
    const before = await readFiles(home, pathsOf(item));
    const error = await clients.configure(item.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MalformedClientFileError);
    const malformed = error as MalformedClientFileError;
    expect(malformed.path).toBe(join(home, Object.keys(item.malformed)[0] ?? ''));
    expect(malformed.line).toBe(item.malformedLine);
    expect(malformed.message).toContain('left untouched');
    expect(await readFiles(home, pathsOf(item))).toEqual(before);
    expect(keys.list()).toEqual([]);
    expect((await clients.statusOf(await moduleOf(item.id))).problem).toContain(malformed.path);
  });

  it('a crash between the backup and the first write: undo restores the earlier bytes', async () => {
    const { home, keys, clients } = await setup();
    await writeFiles(home, item.existing);
    const before = await readFiles(home, pathsOf(item));
    await expect(clients.configure(item.id, { afterBackup: () => { throw new Error('simulated crash'); } })).rejects.toThrow('simulated crash');
    expect(keys.list()).toEqual([]); // the key of the failed run is revoked
    expect((await clients.statusOf(await moduleOf(item.id))).interrupted).toBe(true);
    const undone = await clients.undo(item.id);
    expect(undone?.restored.length).toBeGreaterThan(0);
    expect(await readFiles(home, pathsOf(item))).toEqual(before);
  });

  it('after a crash, configure again finishes the job and undo still goes back to the original', async () => {
    const { home, clients } = await setup();
    await writeFiles(home, item.existing);
    const before = await readFiles(home, pathsOf(item));
    await expect(clients.configure(item.id, { afterBackup: () => { throw new Error('simulated crash'); } })).rejects.toThrow();
    await clients.configure(item.id);
    expect((await clients.statusOf(await moduleOf(item.id))).pointsAt).toBe('switchyard');
    await clients.undo(item.id);
    expect(await readFiles(home, pathsOf(item))).toEqual(before);
  });

  it('undo after the user edited the file since: restores the backup and keeps the edited version', async () => {
    const { home, clients } = await setup();
    await writeFiles(home, item.existing);
    const before = await readFiles(home, pathsOf(item));
    await clients.configure(item.id);
    const first = pathsOf(item)[0] ?? '';
    const edited = `${await readFile(join(home, first), 'utf8')}\n`;
    await writeFile(join(home, first), edited);
    const undone = await clients.undo(item.id);
    expect(undone?.changedSince.map((entry) => entry.path)).toEqual([join(home, first)]);
    expect(await readFile(undone?.changedSince[0]?.keptAt ?? '', 'utf8')).toBe(edited); // the later edits are not lost
    expect(await readFiles(home, pathsOf(item))).toEqual(before);
  });
});

async function moduleOf(id: ClientId) {
  const { clientModule } = await import('./client-modules.ts');
  return clientModule(id);
}

describe('per-tool keys', () => {
  it('revoking one tool key leaves the others working, and status shows the revoked one as not accepted', async () => {
    const { keys, clients } = await setup();
    await clients.configure('claude-code');
    await clients.configure('codex');
    await keys.revoke('claude-code');
    const status = await clients.status();
    expect(status.find((entry) => entry.client === 'claude-code')?.key).toBe('not-accepted');
    expect(status.find((entry) => entry.client === 'codex')?.key).toBe('valid');
    // Configure again gives Claude Code a fresh key of its own.
    const again = await clients.configure('claude-code');
    expect(again.keyCreated).toBe(true);
    expect(keys.list().map((key) => key.name).sort()).toEqual(['claude-code', 'codex']);
  });
});
