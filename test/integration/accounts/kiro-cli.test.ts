// `switchyard accounts add kiro` as a person runs it: a real child process and data dir, an IAM Identity Center
// portal and region from the command line, the fake AWS OIDC approving the code; then `switchyard serve` on that
// data dir answers through the account from the fake CodeWhisperer's event stream.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killStartedProcesses, runCli, waitForOutput } from '../../helpers/cli-process.ts';
import { startFakeAwsOidc, type FakeAwsOidc } from '../../helpers/fake-accounts/fake-aws-oidc.ts';
import { startFakeCodewhisperer, type FakeCodewhisperer } from '../../helpers/fake-accounts/fake-aws-codewhisperer.ts';

let oidc: FakeAwsOidc;
let codewhisperer: FakeCodewhisperer;
let hostOverrides: Record<string, string>;
const run = (args: string[]) => runCli(args, { SWITCHYARD_SECRET_STORE: 'file' });
const portal = 'https://fake-company.awsapps.com/start';
const profileArn = 'arn:aws:codewhisperer:us-east-1:000000000000:profile/FAKECLI';

beforeAll(async () => {
  oidc = await startFakeAwsOidc();
  codewhisperer = await startFakeCodewhisperer(oidc);
  hostOverrides = { 'oidc.eu-west-1.amazonaws.com': oidc.url, 'codewhisperer.us-east-1.amazonaws.com': codewhisperer.url };
  // This organisation's set-up refuses calls that name no CodeWhisperer profile.
  codewhisperer.profiles.set('user-fake-dev', [{ arn: profileArn, profileName: 'fake-cli-profile' }]);
  codewhisperer.requireProfile.add('user-fake-dev');
});

afterEach(killStartedProcesses);

afterAll(async () => {
  await Promise.all([oidc?.close(), codewhisperer?.close()]);
});

describe('switchyard accounts add kiro', () => {
  it('signs in through an IAM Identity Center portal, prints the risk and the code, and serve then answers through it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-kiro-cli-'));
    const config = join(dir, 'switchyard.json');
    writeFileSync(config, JSON.stringify({ providers: [{ id: 'kiro', type: 'kiro', models: ['claude-sonnet-4.5'], fetchModels: false }], network: { hostOverrides } }));
    const add = run(['accounts', 'add', 'kiro', '--config', config, '--data-dir', dir, '--yes', '--start-url', portal, '--region', 'eu-west-1']);
    const [, code] = await waitForOutput(add, /enter the code: (\S+)/);
    expect(add.output()).toContain('Before you sign in with Kiro');
    expect(add.output()).toContain('unconfirmed');
    expect(add.output()).toContain(`Open ${oidc.url}/device?user_code=${code}`);
    oidc.approve(code!, { email: 'dev.fake@example.com', userId: 'user-fake-dev' });
    expect(await add.exit).toBe(0);
    expect(add.output()).toContain(`Signed in as dev.fake@example.com (KIRO FREE), CodeWhisperer profile ${profileArn}: account kiro-dev.fake-example.com of provider kiro.`);
    const list = run(['accounts', 'list', '--data-dir', dir]);
    expect(await list.exit).toBe(0);
    expect(list.output()).toContain(`kiro-dev.fake-example.com\tkiro\tprovider kiro\tdev.fake@example.com (KIRO FREE)\tprofile ${profileArn}\tready`);
    expect(oidc.startUrls).toEqual([portal]);
    const secretsText = readFileSync(join(dir, 'secrets.json'), 'utf8');
    expect(secretsText).toContain('kiro:oidc-client:eu-west-1');
    expect(readFileSync(join(dir, 'accounts.json'), 'utf8')).not.toMatch(/aor-fake|aoa-fake|fake-client-secret/);

    const serve = run(['serve', '--config', config, '--data-dir', dir, '--port', '0']);
    const [, url] = await waitForOutput(serve, /serving on (http:\/\/127\.0\.0\.1:\d+)/);
    const [, clientKey] = await waitForOutput(serve, /client key \(new, shown once[^\n]*\n\s+(sy-[A-Za-z0-9_-]+)/);
    expect(serve.output()).toContain('provider: kiro (kiro, 1 signed-in account)');
    const response = await fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': clientKey!, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'kiro/claude-sonnet-4.5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { content: Array<{ text: string }> }).content[0]!.text).toBe('Hello from the fake upstream.');
    expect(codewhisperer.requests.filter((request) => request.path === '/generateAssistantResponse').at(-1)!.json).toMatchObject({ profileArn });
    serve.child.kill('SIGKILL');
    await serve.exit;
  });

  it('refuses --start-url for other kinds and a region that is not one, before anything is sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-kiro-cli-'));
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ schemaVersion: 1, config: { network: { hostOverrides } } }));
    const wrongKind = run(['accounts', 'add', 'copilot', '--data-dir', dir, '--yes', '--start-url', portal]);
    expect(await wrongKind.exit).toBe(2);
    expect(wrongKind.errors()).toContain('--start-url and --region are for kiro');
    const badRegion = run(['accounts', 'add', 'kiro', '--data-dir', dir, '--yes', '--region', 'moon-base']);
    expect(await badRegion.exit).toBe(1);
    expect(badRegion.errors()).toContain('"moon-base" is not an AWS region');
    expect(oidc.registerCount).toBe(1);
  });
});
