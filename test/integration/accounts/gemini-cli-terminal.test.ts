// `switchyard accounts add gemini-cli` as a person runs it in a terminal: real child processes and a real data dir,
// the fake Google OAuth and Code Assist on 127.0.0.1 (network.hostOverrides). Once with the browser (the person's
// browser lands on the loopback callback), once without one (--device: the person pastes the code Google showed,
// with --project); then `switchyard serve` on that data dir serves both accounts.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killStartedProcesses, runCli, waitForOutput } from '../../helpers/cli-process.ts';
import { startFakeCodeAssist, type FakeCodeAssist } from '../../helpers/fake-accounts/fake-google-code-assist.ts';
import { fakeGoogleClientSecret, startFakeGoogleOauth, type FakeGoogleOauth } from '../../helpers/fake-accounts/fake-google-oauth.ts';

let google: FakeGoogleOauth;
let codeAssist: FakeCodeAssist;
let dir: string;
let config: string;
const run = (args: string[]) => runCli(args, { SWITCHYARD_SECRET_STORE: 'file' });
const browserUser = { id: '100000000000000000031', email: 'terminal.fake@example.com' };
const pasteUser = { id: '100000000000000000032', email: 'headless.fake@example.com' };

beforeAll(async () => {
  google = await startFakeGoogleOauth();
  codeAssist = await startFakeCodeAssist(google.accessTokens);
  codeAssist.users.set(browserUser.id, { currentTier: 'standard-tier', assignedProject: 'fake-terminal-project', projects: ['fake-terminal-project'] });
  codeAssist.users.set(pasteUser.id, { currentTier: 'standard-tier', projects: ['fake-typed-project'] });
  const hostOverrides = { 'accounts.google.com': google.url, 'oauth2.googleapis.com': google.url, 'www.googleapis.com': google.url, 'cloudcode-pa.googleapis.com': codeAssist.url };
  dir = mkdtempSync(join(tmpdir(), 'switchyard-gcli-terminal-'));
  config = join(dir, 'switchyard.json');
  writeFileSync(config, JSON.stringify({ providers: [{ id: 'gcli', type: 'gemini-cli', models: ['gemini-2.5-pro'], fetchModels: false, oauth: { clientSecret: fakeGoogleClientSecret } }], network: { hostOverrides } }));
});

afterEach(killStartedProcesses);

afterAll(async () => {
  await Promise.all([google?.close(), codeAssist?.close()]);
});

describe('switchyard accounts add gemini-cli', () => {
  it('prints the risk and the sign-in address; the browser lands on the loopback callback and the account is stored', async () => {
    google.user = browserUser;
    const add = run(['accounts', 'add', 'gemini-cli', '--config', config, '--data-dir', dir, '--yes']);
    const [, url] = await waitForOutput(add, /Open this address in a browser and sign in:\n\s+(\S+)/);
    expect(add.output()).toContain('Before you sign in with Gemini Code Assist');
    expect(add.output()).toContain('direct violation');
    expect(add.output()).toContain('18 June 2026');
    expect((await fetch(google.authorize(url!))).status).toBe(200);
    expect(await add.exit).toBe(0);
    expect(add.output()).toContain(`Signed in as ${browserUser.email} (Gemini Code Assist Standard), project fake-terminal-project: account gemini-cli-terminal.fake-example.com of provider gcli.`);
  });

  it('--device --project: the person pastes the code Google showed; a bad paste is refused plainly', async () => {
    google.user = pasteUser;
    const wrong = run(['accounts', 'add', 'gemini-cli', '--device', '--project', 'fake-typed-project', '--config', config, '--data-dir', dir, '--yes']);
    await waitForOutput(wrong, /Paste the code here/);
    wrong.child.stdin.write('???\n');
    expect(await wrong.exit).toBe(1);
    expect(wrong.errors()).toContain('does not look like the code Google showed');

    const add = run(['accounts', 'add', 'gemini-cli', '--device', '--project', 'fake-typed-project', '--config', config, '--data-dir', dir, '--yes']);
    const [, url] = await waitForOutput(add, /on any device and sign in:\n\s+(\S+)/);
    expect(new URL(url!).searchParams.get('redirect_uri')).toBe('https://codeassist.google.com/authcode');
    add.child.stdin.write(`${google.authorizeForCode(url!)}\n`);
    expect(await add.exit).toBe(0);
    expect(add.output()).toContain(`Signed in as ${pasteUser.email} (Gemini Code Assist Standard), project fake-typed-project`);

    const list = run(['accounts', 'list', '--data-dir', dir]);
    expect(await list.exit).toBe(0);
    expect(list.output()).toMatch(/gemini-cli-headless\.fake-example\.com\tgemini-cli\tprovider gcli\theadless\.fake@example\.com \(Gemini Code Assist Standard\)\tproject fake-typed-project\tready/);
    expect(readFileSync(join(dir, 'accounts.json'), 'utf8')).not.toMatch(/ya29\.|1\/\/fake-/);
  });

  it('--project is refused for other kinds, and serve then answers through both accounts', async () => {
    const misplaced = run(['accounts', 'add', 'codex', '--project', 'x', '--data-dir', dir, '--yes']);
    expect(await misplaced.exit).toBe(2);
    expect(misplaced.errors()).toContain('--project is for gemini-cli');

    const serve = run(['serve', '--config', config, '--data-dir', dir, '--port', '0']);
    const [, url] = await waitForOutput(serve, /serving on (http:\/\/127\.0\.0\.1:\d+)/);
    const [, clientKey] = await waitForOutput(serve, /client key \(new, shown once[^\n]*\n\s+(sy-[A-Za-z0-9_-]+)/);
    expect(serve.output()).toContain('provider: gcli (gemini-cli, 2 signed-in accounts)');
    const projects = new Set<unknown>();
    for (let index = 0; index < 2; index += 1) {
      const response = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gcli/gemini-2.5-pro', messages: [{ role: 'user', content: 'hi' }] }) });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe('Hello from the fake upstream.');
      projects.add(codeAssist.requests.at(-1)!.json?.project);
    }
    expect(projects).toEqual(new Set(['fake-terminal-project', 'fake-typed-project']));
    serve.child.kill('SIGKILL');
    await serve.exit;
  });
});
