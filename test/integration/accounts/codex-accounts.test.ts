// ChatGPT (Codex) accounts end to end: PKCE sign-in on the loopback callback, the paste fallback, the device code,
// against a fake OpenAI auth server that checks the verifier and rotates refresh tokens; then the official SDKs of
// all four client formats through Switchyard to a fake Codex backend that checks the body rules and headers.
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireFormat } from '../../../shared/wire-format.ts';
import { providerSchema } from '../../../shared/config/provider-schema.ts';
import { AccountPool } from '../../../main/core/accounts/account-pool.ts';
import { readCodexClaims } from '../../../main/core/accounts/codex/id-token.ts';
import { FileSecretStore } from '../../../main/core/secrets/file-secret-store.ts';
import { startFakeOpenaiAuth, type FakeOpenaiAuth } from '../../helpers/fake-accounts/fake-openai-auth.ts';
import { startFakeUpstream, type FakeReply, type FakeUpstream, type RecordedRequest } from '../../helpers/fake-upstream/fake-upstream.ts';
import { responsesStream } from '../../helpers/fake-upstream/openai-replies.ts';
import { sdkTurnDrivers, type ClientDriver } from '../../helpers/sdk-turn-drivers.ts';
import { startEngine, type RunningEngine } from '../../helpers/start-engine.ts';

const formats: WireFormat[] = ['anthropic', 'openai-chat', 'openai-responses', 'gemini'];
const accounts = {
  a: { accountId: 'acct-fake-a', userId: 'user-fake-a', email: 'a.fake@example.com', plan: 'plus' },
  b: { accountId: 'acct-fake-b', userId: 'user-fake-b', email: 'b.fake@example.com', plan: 'pro' },
  c: { accountId: 'acct-fake-c', userId: 'user-fake-c', email: 'c.fake@example.com', plan: 'team' },
};
let auth: FakeOpenaiAuth;
let backend: FakeUpstream;
let running: RunningEngine;
let drivers: Record<WireFormat, (model: string) => ClientDriver>;
const accessTokens: string[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-codex-'));
const secrets = new FileSecretStore(join(dataDir, 'secrets.json'));
const provider = providerSchema.parse({ id: 'codex', type: 'codex', models: ['gpt-5-codex'] });
let hostOverrides: Record<string, string>;
/** Accounts whose requests the backend answers with usage_limit_reached. */
const spent = new Set<string>();
const resetsAt = Math.floor(Date.now() / 1000) + 3 * 3600;

function reply(request: RecordedRequest): FakeReply {
  const input = (Array.isArray(request.json?.input) ? request.json.input : []) as Array<{ type?: string; output?: string }>;
  const result = input.find((item) => item.type === 'function_call_output');
  if (result) return { kind: 'text', text: `The tool said: ${result.output}`, chunks: 3 };
  if (Array.isArray(request.json?.tools) && (request.json.tools as unknown[]).length > 0) return { kind: 'tool', text: 'Checking the weather.', calls: [{ name: 'get_weather', input: { city: 'Paris' } }] };
  return { kind: 'text', text: 'Hello from the fake upstream.', chunks: 4 };
}

/** The Codex backend: only streams, and answers with its usage-window headers. */
function backendHandler(request: RecordedRequest): FakeReply {
  const account = readCodexClaims(request.credential).accountId ?? '';
  if (request.headers['chatgpt-account-id'] !== account) return { kind: 'error', status: 401, message: 'account id header does not match the token' };
  if (spent.has(account)) {
    return { kind: 'error', status: 429, body: { error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', plan_type: 'plus', resets_at: resetsAt } } };
  }
  if (request.json?.stream !== true) return { kind: 'error', status: 400, message: 'Stream must be set to true' };
  const answer = reply(request) as Extract<FakeReply, { kind: 'text' | 'tool' }>;
  return {
    kind: 'raw',
    status: 200,
    headers: { 'content-type': 'text/event-stream', 'x-codex-primary-used-percent': '25', 'x-codex-primary-window-minutes': '300', 'x-codex-primary-reset-after-seconds': '3600', 'x-codex-secondary-used-percent': '10', 'x-codex-secondary-window-minutes': '10080' },
    chunks: responsesStream(answer, String(request.json?.model ?? 'gpt-5-codex'), `resp_fake_${request.arrivedAt.toFixed(0)}`),
  };
}

async function settled<T>(promise: Promise<T>) {
  return promise.then((value) => ({ ok: true as const, value }), (error: Error) => ({ ok: false as const, error }));
}

/** The person's browser: follows the sign-in URL at the fake and lands on the callback. */
async function browserSignIn(url: string): Promise<Response> {
  const redirect = auth.authorize(url);
  return fetch(redirect.replace('//localhost:', '//127.0.0.1:'));
}

const blockers: Server[] = [];
async function busyPort(): Promise<number> {
  const server = createServer();
  blockers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  auth = await startFakeOpenaiAuth({ accessTokens });
  backend = await startFakeUpstream('openai', { keys: accessTokens });
  backend.setHandler(backendHandler);
  hostOverrides = { 'auth.openai.com': auth.url, 'chatgpt.com': new URL(backend.url).origin };
});

afterAll(async () => {
  await running?.stop();
  await Promise.all([auth?.close(), backend?.close(), ...blockers.map((server) => new Promise((resolve) => server.close(resolve)))]);
});

describe('signing in', () => {
  it('browser sign-in: PKCE and state on the loopback callback; account id and plan from the id_token', async () => {
    const pool = new AccountPool({ dataDir, secrets });
    await pool.load();
    auth.account = accounts.a;
    const handle = await pool.signIn('codex', { config: provider, hostOverrides }, { callbackPorts: [0] });
    expect(handle.prompt.kind).toBe('browser');
    if (handle.prompt.kind !== 'browser') return;
    expect(handle.prompt.listening).toBe(true);
    const url = new URL(handle.prompt.url);
    expect(url.origin).toBe(auth.url);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ client_id: 'app_EMoamEEZ73f0CkXaXp7hrann', code_challenge_method: 'S256', redirect_uri: handle.prompt.redirectUri, originator: 'codex_cli_rs' });
    expect(handle.prompt.sshHint).toMatch(/^ssh -L \d+:127\.0\.0\.1:\d+ <host>$/);
    expect((await browserSignIn(handle.prompt.url)).status).toBe(200);
    const done = await handle.done;
    expect(done.record).toMatchObject({ kind: 'codex', label: 'a.fake@example.com', plan: 'plus', vendorAccountId: 'acct-fake-a:user-fake-a', state: 'ready' });
    await pool.close();
  });

  it('both callback ports busy: the pasted redirect URL finishes the sign-in, and it updates the same account', async () => {
    const pool = new AccountPool({ dataDir, secrets });
    await pool.load();
    const handle = await pool.signIn('codex', { config: provider, hostOverrides }, { callbackPorts: [await busyPort(), await busyPort()] });
    if (handle.prompt.kind !== 'browser') throw new Error('expected a browser prompt');
    expect(handle.prompt.listening).toBe(false);
    expect(handle.prompt.pasteHint).toContain('are in use');
    const redirect = auth.authorize(handle.prompt.url);
    handle.submitRedirectUrl!(redirect.replace(/state=[^&]+/, 'state=forged'));
    const refused = await settled(handle.done);
    expect(refused.ok).toBe(false);
    expect((refused as { error: Error }).error.message).toMatch(/another sign-in/);

    const again = await pool.signIn('codex', { config: provider, hostOverrides }, { callbackPorts: [await busyPort()] });
    if (again.prompt.kind !== 'browser') throw new Error('expected a browser prompt');
    again.submitRedirectUrl!(auth.authorize(again.prompt.url));
    const done = await again.done;
    expect(done.updated).toBe(true);
    expect((await pool.registry.list()).filter((record) => record.kind === 'codex')).toHaveLength(1);
    await pool.close();
  });

  it("device-code sign-in (Codex's own flow) for two more accounts", async () => {
    const pool = new AccountPool({ dataDir, secrets });
    await pool.load();
    for (const account of [accounts.b, accounts.c]) {
      auth.account = account;
      const handle = await pool.signIn('codex', { config: provider, hostOverrides }, { device: true });
      if (handle.prompt.kind !== 'device') throw new Error('expected a device prompt');
      expect(handle.prompt.verificationUrl).toBe(`${auth.url}/codex/device`);
      auth.approveDeviceCode(handle.prompt.userCode);
      const done = await handle.done;
      expect(done.record.label).toBe(account.email);
    }
    expect((await pool.registry.list()).map((record) => record.label)).toEqual(['a.fake@example.com', 'b.fake@example.com', 'c.fake@example.com']);
    await pool.close();
  });
});

describe('serving through the accounts', () => {
  beforeAll(async () => {
    running = await startEngine(
      { providers: [{ id: 'codex', type: 'codex', models: ['gpt-5-codex'], fetchModels: false, keyStrategy: 'round-robin' }], network: { hostOverrides } },
      { logLevel: 'warn', accounts: { dataDir, secrets } },
    );
    drivers = sdkTurnDrivers(running);
  });

  describe.each(formats)('%s client', (format) => {
    it('completes a streamed text turn; the backend gets its body rules and headers', async () => {
      const driver = drivers[format]('codex/gpt-5-codex');
      const result = await driver.turn(driver.start(), false);
      expect(result.text).toBe('Hello from the fake upstream.');
      const seen = backend.requests.at(-1)!;
      expect(seen.path).toBe('/backend-api/codex/responses');
      expect(seen.json).toMatchObject({ stream: true, store: false, instructions: expect.any(String), include: expect.arrayContaining(['reasoning.encrypted_content']) });
      for (const field of ['previous_response_id', 'temperature', 'top_p', 'max_output_tokens']) expect(seen.json).not.toHaveProperty(field);
      expect(seen.headers).toMatchObject({ originator: 'codex_cli_rs', accept: 'text/event-stream', 'chatgpt-account-id': expect.stringMatching(/^acct-fake-/) });
    });

    it('completes a streamed two-step tool turn', async () => {
      const driver = drivers[format]('codex/gpt-5-codex');
      const history = driver.start();
      const first = await driver.turn(history, true);
      expect(first.calls.map((call) => ({ name: call.name, args: call.args }))).toEqual([{ name: 'get_weather', args: { city: 'Paris' } }]);
      driver.addResults(history, first.calls);
      expect((await driver.turn(history, true)).text).toBe('The tool said: 18 degrees in Paris');
    });

    it('a non-streaming client gets the stream collected into one answer', async () => {
      const driver = drivers[format]('codex/gpt-5-codex');
      const history = driver.start();
      const first = await driver.turn(history, true, false);
      expect(first.text).toBe('Checking the weather.');
      expect(first.calls.map((call) => call.name)).toEqual(['get_weather']);
      driver.addResults(history, first.calls);
      expect((await driver.turn(history, true, false)).text).toBe('The tool said: 18 degrees in Paris');
      expect(backend.requests.at(-1)!.json?.stream).toBe(true);
    });
  });

  it('strips previous_response_id and sampling fields a Responses client sends', async () => {
    const response = await fetch(`${running.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${running.clientKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'codex/gpt-5-codex', input: 'hi', previous_response_id: 'resp_old', temperature: 0.2, top_p: 0.9, max_output_tokens: 100, store: true }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const seen = backend.requests.at(-1)!.json!;
    expect(seen).toMatchObject({ store: false, stream: true, instructions: '' });
    for (const field of ['previous_response_id', 'temperature', 'top_p', 'max_output_tokens']) expect(seen).not.toHaveProperty(field);
  });

  it('shows each account with its plan and the x-codex-* windows in the guard snapshot, never a token', () => {
    const keys = running.engine.guard.snapshot().providers[0]!.keys;
    expect(keys.map((key) => key.account?.login)).toEqual(['a.fake@example.com', 'b.fake@example.com', 'c.fake@example.com']);
    const withQuota = keys.find((key) => key.account?.quota)!;
    expect(withQuota.account!.quota!.windows).toEqual([
      expect.objectContaining({ name: 'primary (5 h)', usedPercent: 25 }),
      expect.objectContaining({ name: 'secondary (7 d)', usedPercent: 10 }),
    ]);
    const text = JSON.stringify(running.engine.guard.snapshot());
    for (const token of accessTokens) expect(text).not.toContain(token);
  });

  it('ten concurrent requests on an expired token cause exactly one refresh; the rotated refresh token is stored first', async () => {
    const pool = running.engine.accounts!;
    const [a] = pool.records('codex');
    const before = JSON.parse((await secrets.get(`account:${a!.id}`))!) as { grant: string };
    // The next access token lives 60 s, inside the 5-minute lead: due at once.
    auth.accessLifetimeSeconds = 60;
    await pool.tokenSource(a!.id)!.refresh();
    auth.accessLifetimeSeconds = 3600;
    const afterFirst = JSON.parse((await secrets.get(`account:${a!.id}`))!) as { grant: string };
    expect(afterFirst.grant).not.toBe(before.grant);
    const refreshes = auth.refreshCount;
    auth.refreshDelayMs = 100;
    const source = pool.tokenSource(a!.id)!;
    const results = await Promise.all(Array.from({ length: 10 }, () => source.valid()));
    auth.refreshDelayMs = 0;
    expect(auth.refreshCount).toBe(refreshes + 1);
    expect(new Set(results.map((tokens) => tokens.accessToken)).size).toBe(1);
    expect(JSON.parse((await secrets.get(`account:${a!.id}`))!).grant).toBe(results[0]!.grant);
  });

  it('a revoked refresh token marks that account "sign in again"; the other accounts keep serving', async () => {
    const pool = running.engine.accounts!;
    const c = pool.records('codex').find((record) => record.label === accounts.c.email)!;
    auth.revokeAccount(accounts.c.accountId);
    const refreshes = auth.refreshCount;
    await expect(pool.tokenSource(c.id)!.refresh()).rejects.toThrow(/refresh_token_invalidated/);
    // Not retried: a later request does not ask the auth server again for this account.
    for (let index = 0; index < 4; index += 1) {
      const driver = drivers['openai-chat']('codex/gpt-5-codex');
      expect((await driver.turn(driver.start(), false)).text).toBe('Hello from the fake upstream.');
    }
    expect(auth.refreshCount).toBe(refreshes + 1);
    const key = running.engine.guard.snapshot().providers[0]!.keys.find((entry) => entry.id === c.id)!;
    expect(key).toMatchObject({ state: 'disabled', account: { state: 'sign-in-again' } });
    expect(backend.requests.slice(-4).every((request) => request.headers['chatgpt-account-id'] !== accounts.c.accountId)).toBe(true);
  });

  it('usage_limit_reached takes the account out until resets_at and the next account serves', async () => {
    spent.add(accounts.a.accountId);
    for (let index = 0; index < 3; index += 1) {
      const driver = drivers.anthropic('codex/gpt-5-codex');
      expect((await driver.turn(driver.start(), false)).text).toBe('Hello from the fake upstream.');
    }
    const a = running.engine.guard.snapshot().providers[0]!.keys.find((entry) => entry.account?.login === accounts.a.email)!;
    expect(a.state).toBe('exhausted');
    expect(a.exhaustedUntil).toBe(resetsAt * 1000);
    spent.clear();
  });

  it('accounts survive a restart, and one whose token expired meanwhile refreshes at start', async () => {
    const pool = running.engine.accounts!;
    const b = pool.records('codex').find((record) => record.label === accounts.b.email)!;
    auth.accessLifetimeSeconds = 60;
    await pool.tokenSource(b.id)!.refresh();
    auth.accessLifetimeSeconds = 3600;
    await running.stop();
    const refreshes = auth.refreshCount;
    running = await startEngine(
      { providers: [{ id: 'codex', type: 'codex', models: ['gpt-5-codex'], fetchModels: false }], network: { hostOverrides } },
      { logLevel: 'warn', accounts: { dataDir, secrets } },
    );
    for (let waited = 0; auth.refreshCount === refreshes && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(auth.refreshCount).toBe(refreshes + 1);
    const states = running.engine.guard.snapshot().providers[0]!.keys.map((key) => [key.account?.login, key.account?.state]);
    expect(states).toEqual([
      ['a.fake@example.com', 'ready'],
      ['b.fake@example.com', 'ready'],
      ['c.fake@example.com', 'sign-in-again'],
    ]);
    const driver = sdkTurnDrivers(running)['openai-responses']('codex/gpt-5-codex');
    expect((await driver.turn(driver.start(), false)).text).toBe('Hello from the fake upstream.');
  });
});
