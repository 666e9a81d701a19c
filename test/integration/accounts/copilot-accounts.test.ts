// GitHub Copilot accounts end to end: the device flow against a fake GitHub (real HTTP on 127.0.0.1), the Copilot
// token exchange, and the official SDKs of all four client formats through Switchyard to a fake Copilot API that
// checks the editor headers. Every vendor host is redirected to the fakes with network.hostOverrides.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireFormat } from '../../../shared/wire-format.ts';
import { providerSchema } from '../../../shared/config/provider-schema.ts';
import { AccountPool } from '../../../main/core/accounts/account-pool.ts';
import { FileSecretStore } from '../../../main/core/secrets/file-secret-store.ts';
import { startFakeGithub, type FakeGithub } from '../../helpers/fake-accounts/fake-github.ts';
import { startFakeUpstream, type FakeUpstream, type RecordedRequest, type FakeReply } from '../../helpers/fake-upstream/fake-upstream.ts';
import { sdkTurnDrivers, type ClientDriver } from '../../helpers/sdk-turn-drivers.ts';
import { startEngine, type RunningEngine } from '../../helpers/start-engine.ts';

const formats: WireFormat[] = ['anthropic', 'openai-chat', 'openai-responses', 'gemini'];
let api: FakeUpstream;
let github: FakeGithub;
let running: RunningEngine;
let drivers: Record<WireFormat, (model: string) => ClientDriver>;
const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-copilot-'));
const secrets = new FileSecretStore(join(dataDir, 'secrets.json'));
const copilotTokens: string[] = [];
let hostOverrides: Record<string, string>;
const provider = providerSchema.parse({ id: 'copilot', type: 'copilot', models: ['gpt-4.1'] });
let apiHandler: (request: RecordedRequest) => FakeReply;

/** A tool call when tools are offered and no result is in yet, else text. */
function copilotReply(request: RecordedRequest): FakeReply {
  const messages = (request.json?.messages ?? []) as Array<{ role: string; content?: unknown }>;
  const result = messages.find((message) => message.role === 'tool');
  if (result) return { kind: 'text', text: `The tool said: ${String(result.content)}`, chunks: 3 };
  if (Array.isArray(request.json?.tools)) return { kind: 'tool', text: 'Checking the weather.', calls: [{ name: 'get_weather', input: { city: 'Paris' } }] };
  return { kind: 'text', text: 'Hello from the fake upstream.', chunks: 4 };
}

async function signIn(pool: AccountPool) {
  const handle = await pool.signIn('copilot', { config: provider, hostOverrides });
  return { handle, done: await handle.done.then((value) => ({ ok: true as const, value }), (error: Error) => ({ ok: false as const, error })) };
}

beforeAll(async () => {
  api = await startFakeUpstream('openai', { keys: copilotTokens });
  apiHandler = copilotReply;
  api.setHandler((request) => apiHandler(request));
  const apiOrigin = new URL(api.url).origin;
  github = await startFakeGithub({ copilotApi: 'https://api.individual.githubcopilot.com', copilotTokens });
  hostOverrides = { 'github.com': github.url, 'api.github.com': github.url, 'api.individual.githubcopilot.com': apiOrigin };
});

afterAll(async () => {
  await running?.stop();
  await Promise.all([api?.close(), github?.close()]);
});

describe('signing in', () => {
  it('shows the verification URL (host overrides applied) and code, and stores tokens only in the SecretStore', async () => {
    const pool = new AccountPool({ dataDir, secrets });
    await pool.load();
    github.deviceSteps = ['pending', 'pending', 'approve'];
    const { handle, done } = await signIn(pool);
    expect(handle.prompt).toMatchObject({ kind: 'device', verificationUrl: `${github.url}/login/device`, userCode: expect.stringMatching(/^[0-9A-F]{4}-[0-9A-F]{4}$/) });
    expect(done.ok).toBe(true);
    const { record, updated } = (done as { value: { record: { id: string; label: string; plan?: string; state: string }; updated: boolean } }).value;
    expect(updated).toBe(false);
    expect(record).toMatchObject({ id: 'copilot-octo-fake', label: 'octo-fake', plan: 'copilot_pro', state: 'ready' });
    const polls = github.requests.filter((request) => request.path === '/login/oauth/access_token');
    expect(polls).toHaveLength(3);
    expect(polls[0]!.body).toMatchObject({ client_id: 'Iv1.b507a08c87ecfe98', grant_type: 'urn:ietf:params:oauth:grant-type:device_code' });
    const accountsFile = readFileSync(join(dataDir, 'accounts.json'), 'utf8');
    const githubToken = [...github.githubTokens.keys()][0]!;
    expect(accountsFile).not.toContain(githubToken);
    expect(accountsFile).not.toContain('fake-copilot');
    expect(JSON.parse((await secrets.get('account:copilot-octo-fake'))!)).toMatchObject({ grant: githubToken, apiBaseUrl: 'https://api.individual.githubcopilot.com' });
    await pool.close();
  });

  it('signing in again to the same account updates it instead of adding another', async () => {
    const pool = new AccountPool({ dataDir, secrets });
    await pool.load();
    github.deviceSteps = ['approve'];
    const { done } = await signIn(pool);
    expect(done.ok && done.value.updated).toBe(true);
    expect((await pool.registry.list()).map((record) => record.id)).toEqual(['copilot-octo-fake']);
    await pool.close();
  });

  it.each([
    [['pending', 'deny'] as const, 'denied', /denied on GitHub/],
    [['expire'] as const, 'expired', /expired before it was approved/],
  ])('a device code that is %s ends the flow with a clear message and stores nothing', async (steps, failure, message) => {
    const pool = new AccountPool({ dataDir, secrets });
    await pool.load();
    const before = await secrets.list();
    github.deviceSteps = [...steps];
    github.user = { id: 2002, login: 'someone-else' };
    const { done } = await signIn(pool);
    expect(done.ok).toBe(false);
    expect((done as { error: Error }).error).toMatchObject({ failure, message: expect.stringMatching(message) });
    expect((await pool.registry.list()).map((record) => record.id)).toEqual(['copilot-octo-fake']);
    expect(await secrets.list()).toEqual(before);
    github.user = { id: 1001, login: 'octo-fake' };
    await pool.close();
  });
});

describe('serving through the signed-in account', () => {
  beforeAll(async () => {
    running = await startEngine(
      { providers: [{ id: 'copilot', type: 'copilot', models: ['gpt-4.1'] }], network: { hostOverrides } },
      { logLevel: 'warn', accounts: { dataDir, secrets } },
    );
    drivers = sdkTurnDrivers(running);
  });

  describe.each(formats)('%s client', (format) => {
    it('completes a streamed text turn, sent to endpoints.api with the editor headers', async () => {
      const driver = drivers[format]('copilot/gpt-4.1');
      const result = await driver.turn(driver.start(), false);
      expect(result.text).toBe('Hello from the fake upstream.');
      const seen = api.requests.at(-1)!;
      expect(seen.path).toBe('/chat/completions');
      expect(seen.stream).toBe(true);
      expect(copilotTokens).toContain(seen.credential);
      expect(seen.headers).toMatchObject({ 'copilot-integration-id': 'vscode-chat', 'editor-version': expect.stringMatching(/^vscode\//), 'editor-plugin-version': expect.stringMatching(/^copilot-chat\//), 'openai-intent': 'conversation-panel', 'x-initiator': 'user' });
    });

    it('completes a two-step tool turn; the continuation is sent as X-Initiator: agent', async () => {
      const driver = drivers[format]('copilot/gpt-4.1');
      const history = driver.start();
      const first = await driver.turn(history, true);
      expect(first.calls.map((call) => ({ name: call.name, args: call.args }))).toEqual([{ name: 'get_weather', args: { city: 'Paris' } }]);
      expect(api.requests.at(-1)!.headers['x-initiator']).toBe('user');
      driver.addResults(history, first.calls);
      const second = await driver.turn(history, true);
      expect(second.text).toBe('The tool said: 18 degrees in Paris');
      expect(api.requests.at(-1)!.headers['x-initiator']).toBe('agent');
    });

    it('answers a non-streaming request', async () => {
      const driver = drivers[format]('copilot/gpt-4.1');
      expect((await driver.turn(driver.start(), false, false)).text).toBe('Hello from the fake upstream.');
    });
  });

  it("lists the models Copilot offers this account (GET /models with the account's token)", async () => {
    const response = await fetch(`${running.url}/v1/models`, { headers: { authorization: `Bearer ${running.clientKey}` } });
    const ids = ((await response.json()) as { data: Array<{ id: string }> }).data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(['copilot/gpt-4.1', 'copilot/fake-model-a']));
    const listed = api.requests.find((request) => request.operation === 'models')!;
    expect(copilotTokens).toContain(listed.credential);
    expect(listed.headers['copilot-integration-id']).toBe('vscode-chat');
  });

  it('shows the account in the guard snapshot like a key, with its quota and no token', async () => {
    const key = running.engine.guard.snapshot().providers.find((entry) => entry.id === 'copilot')!.keys[0]!;
    expect(key).toMatchObject({ id: 'copilot-octo-fake', state: 'active', account: { login: 'octo-fake', plan: 'copilot_pro', state: 'ready' } });
    expect(key.account?.quota?.windows[0]).toMatchObject({ name: 'premium requests', remaining: 120, entitlement: 300, usedPercent: 60 });
    const text = JSON.stringify(running.engine.guard.snapshot());
    for (const token of [...copilotTokens, ...github.githubTokens.keys()]) expect(text).not.toContain(token);
  });

  it('a 401 for a token not expired locally refreshes once and retries once', async () => {
    const exchanges = github.tokenExchanges;
    let refused = 0;
    apiHandler = (request) => (refused++ === 0 ? { kind: 'error', status: 401, message: 'unauthorized: token expired' } : copilotReply(request));
    // The next token is short-lived: due for a refresh at once (inside the lead time), for the race below.
    github.nextTokenLifetimeSeconds = 30;
    const driver = drivers['openai-chat']('copilot/gpt-4.1');
    expect((await driver.turn(driver.start(), false)).text).toBe('Hello from the fake upstream.');
    expect(github.tokenExchanges).toBe(exchanges + 1);
    expect(api.requests.at(-1)!.credential).toBe(copilotTokens.at(-1));
    apiHandler = copilotReply;
  });

  it('ten concurrent requests on a token due for refresh cause exactly one token exchange', async () => {
    const exchanges = github.tokenExchanges;
    const results = await Promise.all(Array.from({ length: 10 }, () => drivers['openai-chat']('copilot/gpt-4.1').turn([{ role: 'user', content: 'hi' }], false)));
    expect(results.every((result) => result.text === 'Hello from the fake upstream.')).toBe(true);
    expect(github.tokenExchanges).toBe(exchanges + 1);
  });

  it('a used-up premium-request allowance keeps the account out until the reset, with the reason', async () => {
    github.premium = { entitlement: 300, remaining: 0, unlimited: false, overage_permitted: false };
    await running.engine.accounts!.tokenSource('copilot-octo-fake')!.refresh();
    const key = () => running.engine.guard.snapshot().providers[0]!.keys[0]!;
    for (let waited = 0; key().state !== 'exhausted' && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(key()).toMatchObject({ state: 'exhausted', exhaustedUntil: Date.parse('2026-12-31T00:00:00Z') });
    const sent = api.requests.length;
    const response = await fetch(`${running.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${running.clientKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'copilot/gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await response.text()).toContain('subscription quota used up');
    expect(api.requests.length).toBe(sent);
    github.premium = { entitlement: 300, remaining: 120, unlimited: false, overage_permitted: false };
    await running.engine.accounts!.tokenSource('copilot-octo-fake')!.refresh();
    for (let waited = 0; key().state !== 'active' && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(key().state).toBe('active');
  });

  it('a revoked GitHub sign-in marks the account "sign in again", says how, and is not retried', async () => {
    const needs: string[] = [];
    running.engine.accounts!.on('needs-sign-in', (event) => needs.push(event.accountId));
    for (const token of github.githubTokens.keys()) github.revoke(token);
    await running.engine.accounts!.tokenSource('copilot-octo-fake')!.refresh().catch(() => {});
    const exchanges = github.tokenExchanges;
    const response = await fetch(`${running.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${running.clientKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'copilot/gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(github.tokenExchanges).toBe(exchanges);
    expect(needs).toEqual(['copilot-octo-fake']);
    const key = running.engine.guard.snapshot().providers[0]!.keys[0]!;
    expect(key).toMatchObject({ state: 'disabled', account: { state: 'sign-in-again' } });
    expect(JSON.parse(readFileSync(join(dataDir, 'accounts.json'), 'utf8')).accounts[0]).toMatchObject({ state: 'sign-in-again' });
  });
});
