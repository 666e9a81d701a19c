import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { runToEnd } from '../../helpers/cli-process.ts';
import { temporaryFolders } from '../../helpers/temp-folders.ts';
import type { ServeProcess } from '../../helpers/serve-process.ts';
import { startServeProcess, switchyardCli } from '../../helpers/serve-process.ts';

// `switchyard clients` as a user runs it: real processes, a real serve engine, real files in a throwaway HOME.

let upstream: FakeUpstream;
let serve: ServeProcess;
const folders = temporaryFolders('clients-cli');
let dataDir: string;
const env = { PATH: process.env.PATH ?? '', SWITCHYARD_SECRET_STORE: 'file' };

beforeAll(async () => {
  upstream = await startFakeUpstream('anthropic');
  dataDir = folders.makeSync();
  const config = join(dataDir, 'config.json');
  writeFileSync(config, JSON.stringify({ providers: [{ id: 'anthropic', type: 'anthropic', baseUrl: upstream.url, keys: [{ id: 'k', secret: { env: 'FAKE_KEY' } }] }] }));
  serve = await startServeProcess(['--config', config, '--data-dir', join(dataDir, 'data')], { ...env, HOME: dataDir, FAKE_KEY: 'fake-anthropic-key-000000000000' });
});

afterAll(async () => {
  await serve?.stop();
  await upstream?.close();
  await folders.cleanup();
});

function clients(home: string, ...args: string[]) {
  return runToEnd(process.execPath, [switchyardCli, 'clients', ...args, '--home', home, '--data-dir', join(dataDir, 'data'), '--url', serve.url], { env: { ...env, HOME: home }, timeoutMs: 30_000 });
}

async function ask(key: string): Promise<number> {
  const response = await fetch(`${serve.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
  });
  await response.arrayBuffer();
  return response.status;
}

const claudeKey = (home: string) => (JSON.parse(readFileSync(join(home, '.claude', 'settings.json'), 'utf8')) as { env: { ANTHROPIC_AUTH_TOKEN: string } }).env.ANTHROPIC_AUTH_TOKEN;

describe('switchyard clients', () => {
  it('status, dry-run, configure, configure again, revoke and undo, with keys accepted and refused at once', { timeout: 120_000 }, async () => {
    const home = folders.makeSync();
    const original = '{\n  "model": "opus"\n}\n';
    mkdirSync(join(home, '.claude'));
    writeFileSync(join(home, '.claude', 'settings.json'), original);

    const status = await clients(home, 'status', '--json');
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as { switchyard: { running: boolean }; clients: Array<{ client: string; pointsAt: string }> };
    expect(parsed.switchyard.running).toBe(true);
    expect(parsed.clients.map((entry) => [entry.client, entry.pointsAt])).toEqual([['claude-code', 'vendor'], ['codex', 'vendor'], ['gemini-cli', 'vendor']]);

    const dryRun = await clients(home, 'configure', 'claude-code', '--dry-run');
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain(`+     "ANTHROPIC_BASE_URL": "${serve.url}"`);
    expect(readFileSync(join(home, '.claude', 'settings.json'), 'utf8')).toBe(original);

    const configured = await clients(home, 'configure', 'claude-code');
    expect(configured.code).toBe(0);
    expect(configured.stdout).toContain('Claude Code now points at Switchyard');
    const key = claudeKey(home);
    expect(configured.stdout + configured.stderr).not.toContain(key); // the key is written, never printed
    expect(await ask(key)).toBe(200); // the running engine accepts the new key without a restart

    const again = await clients(home, 'configure', 'claude-code');
    expect(again.stdout).toContain('nothing changed');
    expect(claudeKey(home)).toBe(key);

    const human = await clients(home, 'status');
    expect(human.stdout).toContain('points at Switchyard');
    expect(human.stdout).toContain('its own key "claude-code"');

    const revoked = await runToEnd(process.execPath, [switchyardCli, 'clients', 'revoke', 'claude-code', '--data-dir', join(dataDir, 'data')], { env: { ...env, HOME: home }, timeoutMs: 30_000 });
    expect(revoked.code).toBe(0);
    expect(await ask(key)).toBe(401); // refused at once

    const undone = await clients(home, 'undo', 'claude-code');
    expect(undone.code).toBe(0);
    expect(readFileSync(join(home, '.claude', 'settings.json'), 'utf8')).toBe(original);
    expect((await clients(home, 'undo', 'claude-code')).stdout).toContain('Nothing to undo');
  });

  it('a malformed file: exit 1, the path and line on stderr, the file untouched', async () => {
    const home = folders.makeSync();
    mkdirSync(join(home, '.codex'));
    const broken = 'model = "gpt-5"\nmodel_provider = \n';
    writeFileSync(join(home, '.codex', 'config.toml'), broken);
    const result = await clients(home, 'configure', 'codex');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${join(home, '.codex', 'config.toml')}:2`);
    expect(readFileSync(join(home, '.codex', 'config.toml'), 'utf8')).toBe(broken);
  });

  it('wrong usage: exit 2 with the usage text', async () => {
    const home = folders.makeSync();
    for (const args of [['configure', 'vim'], ['configure'], ['explode'], ['status', '--dry-run']]) {
      const result = await clients(home, ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('Usage: switchyard clients');
    }
    const help = await runToEnd(process.execPath, [switchyardCli, '--help'], { env, timeoutMs: 30_000 });
    expect(help.stdout).toMatch(/serve\s+run the engine headless/);
    expect(help.stdout).toMatch(/clients\s+point Claude Code/);
  });
});
