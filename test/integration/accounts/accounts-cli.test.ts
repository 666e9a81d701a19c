// `switchyard accounts ...` as a person runs it: real child processes, a real data dir, the fake GitHub approving
// the device code; then the next `switchyard serve` on that data dir serves the account with nothing edited by hand.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killStartedProcesses, runCli, waitForOutput } from '../../helpers/cli-process.ts';
import { startFakeGithub, type FakeGithub } from '../../helpers/fake-accounts/fake-github.ts';
import { startFakeUpstream, type FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';

let github: FakeGithub;
let api: FakeUpstream;
const copilotTokens: string[] = [];
let hostOverrides: Record<string, string>;
const run = (args: string[]) => runCli(args, { SWITCHYARD_SECRET_STORE: 'file' });

beforeAll(async () => {
  api = await startFakeUpstream('openai', { keys: copilotTokens });
  github = await startFakeGithub({ copilotApi: 'https://api.individual.githubcopilot.com', copilotTokens });
  hostOverrides = { 'github.com': github.url, 'api.github.com': github.url, 'api.individual.githubcopilot.com': new URL(api.url).origin };
});

afterEach(killStartedProcesses);

afterAll(async () => {
  await Promise.all([github?.close(), api?.close()]);
});

describe('switchyard accounts', () => {
  it('add (with a --config file) prints the risk and the code, exits 0 once stored; serve then uses the account; remove deletes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-accounts-cli-'));
    const config = join(dir, 'switchyard.json');
    const configText = `${JSON.stringify({ providers: [{ id: 'gh', type: 'copilot', models: ['gpt-4.1'], fetchModels: false }], network: { hostOverrides } }, null, 2)}\n`;
    writeFileSync(config, configText);
    github.deviceSteps = ['pending', 'approve'];
    const add = run(['accounts', 'add', 'copilot', '--config', config, '--data-dir', dir, '--yes']);
    const [, code] = await waitForOutput(add, /enter the code: (\S+)/);
    expect(add.output()).toContain('Before you sign in with GitHub Copilot');
    expect(add.output()).toContain('excessive automated');
    expect(add.output()).toContain('Claude Pro / Max');
    expect(add.output()).toContain(`Open ${github.url}/login/device`);
    expect(code).toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}$/);
    expect(await add.exit).toBe(0);
    expect(add.output()).toContain('Signed in as octo-fake (copilot_pro): account copilot-octo-fake of provider gh.');
    expect(readFileSync(config, 'utf8')).toBe(configText);

    const list = run(['accounts', 'list', '--data-dir', dir]);
    expect(await list.exit).toBe(0);
    expect(list.output()).toMatch(/copilot-octo-fake\tcopilot\tprovider gh\tocto-fake \(copilot_pro\)\tready/);

    const serve = run(['serve', '--config', config, '--data-dir', dir, '--port', '0']);
    const [, url] = await waitForOutput(serve, /serving on (http:\/\/127\.0\.0\.1:\d+)/);
    const [, clientKey] = await waitForOutput(serve, /client key \(new, shown once[^\n]*\n\s+(sy-[A-Za-z0-9_-]+)/);
    expect(serve.output()).toContain('provider: gh (copilot, 1 signed-in account)');
    const response = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gh/gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe('Hello from the fake upstream.');
    serve.child.kill('SIGKILL');
    await serve.exit;

    const remove = run(['accounts', 'remove', 'copilot-octo-fake', '--data-dir', dir]);
    expect(await remove.exit).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'accounts.json'), 'utf8')).accounts).toEqual([]);
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toContain('account:copilot-octo-fake');
  });

  it('an account added while serve runs joins without a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-accounts-cli-'));
    const config = join(dir, 'switchyard.json');
    writeFileSync(config, JSON.stringify({ providers: [{ id: 'gh', type: 'copilot', models: ['gpt-4.1'], fetchModels: false }], network: { hostOverrides } }));
    const serve = run(['serve', '--config', config, '--data-dir', dir, '--port', '0']);
    const [, url] = await waitForOutput(serve, /serving on (http:\/\/127\.0\.0\.1:\d+)/);
    const [, clientKey] = await waitForOutput(serve, /client key \(new, shown once[^\n]*\n\s+(sy-[A-Za-z0-9_-]+)/);
    const ask = () => fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gh/gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) });
    const before = await ask();
    expect(before.status).toBe(503);
    expect(await before.text()).toContain('switchyard accounts add copilot --provider gh');
    github.deviceSteps = ['approve'];
    const add = run(['accounts', 'add', 'copilot', '--config', config, '--data-dir', dir, '--yes']);
    expect(await add.exit).toBe(0);
    let status = 0;
    for (let waited = 0; status !== 200 && waited < 10_000; waited += 100) {
      status = (await ask()).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
    serve.child.kill('SIGKILL');
    await serve.exit;
  });

  it('add without a --config file creates the provider in the settings after the sign-in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-accounts-cli-'));
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ schemaVersion: 1, config: { network: { hostOverrides } } }));
    github.deviceSteps = ['approve'];
    const add = run(['accounts', 'add', 'copilot', '--data-dir', dir, '--yes']);
    expect(await add.exit).toBe(0);
    expect(add.output()).toContain('Created the provider "copilot" (copilot)');
    const settings = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as { config: { providers: Array<{ id: string; type: string }> } };
    expect(settings.config.providers).toEqual([expect.objectContaining({ id: 'copilot', type: 'copilot' })]);
  });

  it('refuses to start a sign-in without a confirmation, and says why a denied code failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-accounts-cli-'));
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ schemaVersion: 1, config: { network: { hostOverrides } } }));
    const unconfirmed = run(['accounts', 'add', 'copilot', '--data-dir', dir]);
    expect(await unconfirmed.exit).toBe(2);
    expect(unconfirmed.errors()).toContain('--yes');
    github.deviceSteps = ['deny'];
    const denied = run(['accounts', 'add', 'copilot', '--data-dir', dir, '--yes']);
    expect(await denied.exit).toBe(1);
    expect(denied.errors()).toContain('The sign-in was denied on GitHub');
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).config.providers ?? []).toEqual([]);
  });
});
