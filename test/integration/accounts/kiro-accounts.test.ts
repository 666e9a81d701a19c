// Kiro accounts end to end: AWS SSO OIDC device sign-in (client registered at run time and kept, Builder ID and an
// IAM Identity Center portal) against a fake OIDC server; then the official SDKs of all four client formats through
// Switchyard to a fake CodeWhisperer that answers in the binary event stream and enforces its conversation rules.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireFormat } from '../../../shared/wire-format.ts';
import { providerSchema } from '../../../shared/config/provider-schema.ts';
import { AccountPool } from '../../../main/core/accounts/account-pool.ts';
import { FileSecretStore } from '../../../main/core/secrets/file-secret-store.ts';
import { answerEvent } from '../../helpers/fake-accounts/fake-aws-event-stream.ts';
import { startFakeAwsOidc, type FakeAwsOidc } from '../../helpers/fake-accounts/fake-aws-oidc.ts';
import { defaultKiroReply, startFakeCodewhisperer, type FakeCodewhisperer } from '../../helpers/fake-accounts/fake-aws-codewhisperer.ts';
import { startFakeUpstream, type FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { sdkTurnDrivers, type ClientDriver } from '../../helpers/sdk-turn-drivers.ts';
import { startEngine, type RunningEngine } from '../../helpers/start-engine.ts';

const formats: WireFormat[] = ['anthropic', 'openai-chat', 'openai-responses', 'gemini'];
const users = {
  a: { email: 'a.fake@example.com', userId: 'user-fake-a' },
  b: { email: 'b.fake@example.com', userId: 'user-fake-b' },
  c: { email: 'c.fake@example.com', userId: 'user-fake-c' },
};
const portal = 'https://fake-company.awsapps.com/start';
let oidc: FakeAwsOidc;
let codewhisperer: FakeCodewhisperer;
let backup: FakeUpstream;
let running: RunningEngine;
let drivers: Record<WireFormat, (model: string) => ClientDriver>;
const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-kiro-'));
const secrets = new FileSecretStore(join(dataDir, 'secrets.json'));
const provider = providerSchema.parse({ id: 'kiro', type: 'kiro', models: ['claude-sonnet-4.5'] });
let hostOverrides: Record<string, string>;

async function settled<T>(promise: Promise<T>) {
  return promise.then((value) => ({ ok: true as const, value }), (error: Error) => ({ ok: false as const, error }));
}

/** Signs `user` in through the fake: the person opens the page and approves the code. */
async function signIn(pool: AccountPool, user: { email: string; userId: string }, options: { startUrl?: string; region?: string } = {}) {
  const handle = await pool.signIn('kiro', { config: provider, hostOverrides }, options);
  if (handle.prompt.kind !== 'device') throw new Error('expected a device prompt');
  oidc.approve(handle.prompt.userCode, user);
  return { handle, done: await handle.done };
}

beforeAll(async () => {
  oidc = await startFakeAwsOidc();
  codewhisperer = await startFakeCodewhisperer(oidc);
  backup = await startFakeUpstream('anthropic', { keys: ['fake-anthropic-key-for-tests'] });
  backup.setHandler(() => ({ kind: 'text', text: 'Hello from the backup provider.' }));
  hostOverrides = { 'oidc.us-east-1.amazonaws.com': oidc.url, 'oidc.eu-west-1.amazonaws.com': oidc.url, 'codewhisperer.us-east-1.amazonaws.com': codewhisperer.url };
});

afterAll(async () => {
  await running?.stop();
  await Promise.all([oidc?.close(), codewhisperer?.close(), backup?.close()]);
});

describe('signing in', () => {
  it('AWS Builder ID: registers a public client, keeps polling through slow_down, and stores who signed in', async () => {
    const pool = new AccountPool({ dataDir, secrets });
    await pool.load();
    oidc.slowDowns = 1;
    const handle = await pool.signIn('kiro', { config: provider, hostOverrides }, {});
    if (handle.prompt.kind !== 'device') throw new Error('expected a device prompt');
    expect(handle.prompt.verificationUrl).toBe(`${oidc.url}/device?user_code=${handle.prompt.userCode}`);
    oidc.approve(handle.prompt.userCode, users.a);
    const { record } = await handle.done;
    expect(record).toMatchObject({ kind: 'kiro', label: users.a.email, plan: 'KIRO FREE', vendorAccountId: `https://view.awsapps.com/start|${users.a.userId}`, state: 'ready' });
    expect(oidc.startUrls.at(-1)).toBe('https://view.awsapps.com/start');
    expect(oidc.registerCount).toBe(1);
    expect(oidc.slowDowns).toBe(0);
    const tokens = JSON.parse((await secrets.get(`account:${record.id}`))!) as { grant: string; accessToken: string; oauthClient: { clientId: string; region: string } };
    expect(tokens.grant).toMatch(/^aor-fake-/);
    expect(tokens.oauthClient).toMatchObject({ clientId: expect.stringMatching(/^fake-client-/), region: 'us-east-1' });
    // The registration is kept in the SecretStore for the next sign-in, not in accounts.json.
    expect(await secrets.get('kiro:oidc-client:us-east-1')).toContain(tokens.oauthClient.clientId);
    expect(JSON.stringify(await pool.registry.list())).not.toContain('fake-client-secret');
    await pool.close();
  });

  it('a second account reuses the kept client; an expiring registration is replaced', async () => {
    const pool = new AccountPool({ dataDir, secrets });
    await pool.load();
    await signIn(pool, users.b);
    expect(oidc.registerCount).toBe(1);
    // A registration with less than a day left is not used for a new sign-in.
    const kept = JSON.parse((await secrets.get('kiro:oidc-client:us-east-1'))!) as { expiresAt: number };
    await secrets.set('kiro:oidc-client:us-east-1', JSON.stringify({ ...kept, expiresAt: Date.now() + 3600_000 }));
    const again = await signIn(pool, users.b);
    expect(again.done.updated).toBe(true);
    expect(oidc.registerCount).toBe(2);
    await pool.close();
  });

  it('IAM Identity Center: the start URL and region the person entered are used', async () => {
    const pool = new AccountPool({ dataDir, secrets });
    await pool.load();
    const { done } = await signIn(pool, users.c, { startUrl: portal, region: 'eu-west-1' });
    expect(oidc.startUrls.at(-1)).toBe(portal);
    expect(done.record.vendorAccountId).toBe(`${portal}|${users.c.userId}`);
    const tokens = JSON.parse((await secrets.get(`account:${done.record.id}`))!) as { oauthClient: { region: string }; startUrl: string };
    expect(tokens).toMatchObject({ oauthClient: { region: 'eu-west-1' }, startUrl: portal });
    await expect(pool.signIn('kiro', { config: provider, hostOverrides }, { region: 'mars' })).rejects.toThrow(/not an AWS region/);
    await expect(pool.signIn('kiro', { config: provider, hostOverrides }, { startUrl: 'http://insecure.example.com/start' })).rejects.toThrow(/https/);
    await pool.close();
  });

  it('a denied sign-in stores nothing and says so', async () => {
    const pool = new AccountPool({ dataDir, secrets });
    await pool.load();
    const before = (await pool.registry.list()).length;
    const handle = await pool.signIn('kiro', { config: provider, hostOverrides }, {});
    if (handle.prompt.kind !== 'device') throw new Error('expected a device prompt');
    oidc.deny(handle.prompt.userCode);
    const outcome = await settled(handle.done);
    expect(outcome.ok).toBe(false);
    expect((outcome as { error: Error }).error.message).toMatch(/denied on AWS .*Nothing was stored/);
    expect(await pool.registry.list()).toHaveLength(before);
    await pool.close();
  });
});

describe('serving through the accounts', () => {
  beforeAll(async () => {
    running = await startEngine(
      {
        providers: [
          { id: 'kiro', type: 'kiro', models: ['claude-sonnet-4.5'], keyStrategy: 'round-robin' },
          { id: 'backup', type: 'anthropic', baseUrl: backup.url, keys: [{ id: 'b1', secret: 'fake-anthropic-key-for-tests' }], models: ['claude-backup'], fetchModels: false },
        ],
        combos: [{ name: 'kiro-first', targets: ['kiro/claude-sonnet-4.5', 'backup/claude-backup'] }],
        network: { hostOverrides },
      },
      { logLevel: 'warn', accounts: { dataDir, secrets } },
    );
    drivers = sdkTurnDrivers(running);
  });

  describe.each(formats)('%s client', (format) => {
    it('completes a streamed text turn; CodeWhisperer gets the bearer token and the event-stream accept header', async () => {
      const driver = drivers[format]('kiro/claude-sonnet-4.5');
      const result = await driver.turn(driver.start(), false);
      expect(result.text).toBe('Hello from the fake upstream.');
      const seen = codewhisperer.requests.at(-1)!;
      expect(seen.path).toBe('/generateAssistantResponse');
      expect(seen.user).toBeDefined();
      expect(seen.headers).toMatchObject({ accept: 'application/vnd.amazon.eventstream', 'content-type': 'application/json' });
      expect(seen.json).toMatchObject({ conversationState: { currentMessage: { userInputMessage: { content: 'What is the weather in Paris?', modelId: 'claude-sonnet-4.5' } } } });
    });

    it('completes a streamed two-step tool turn (tool-use fragments joined, the result sent back by id)', async () => {
      const driver = drivers[format]('kiro/claude-sonnet-4.5');
      const history = driver.start();
      const first = await driver.turn(history, true);
      expect(first.calls.map((call) => ({ name: call.name, args: call.args }))).toEqual([{ name: 'get_weather', args: { city: 'Paris' } }]);
      driver.addResults(history, first.calls);
      expect((await driver.turn(history, true)).text).toBe('The tool said: 18 degrees in Paris');
      const sent = codewhisperer.requests.at(-1)!.json as { conversationState: { history: unknown[] } };
      expect(sent.conversationState.history).toHaveLength(2);
    });

    it('a non-streaming client gets the event stream collected into one answer', async () => {
      const driver = drivers[format]('kiro/claude-sonnet-4.5');
      const history = driver.start();
      const first = await driver.turn(history, true, false);
      expect(first.text).toBe('Checking the weather.');
      expect(first.calls.map((call) => call.name)).toEqual(['get_weather']);
      driver.addResults(history, first.calls);
      expect((await driver.turn(history, true, false)).text).toBe('The tool said: 18 degrees in Paris');
    });
  });

  it('a damaged frame reaches the client as an error in its own format, never as text', async () => {
    const good = answerEvent('assistantResponseEvent', { content: 'Hello ' });
    const damaged = Buffer.from(answerEvent('assistantResponseEvent', { content: 'GARBLED' }));
    damaged[damaged.length - 2] = damaged[damaged.length - 2]! ^ 0xff;
    codewhisperer.setHandler(() => ({ kind: 'bytes', bytes: Buffer.concat([good, damaged]) }));
    try {
      const anthropic = new Anthropic({ apiKey: running.clientKey, baseURL: running.url, maxRetries: 0 });
      const stream = anthropic.messages.stream({ model: 'kiro/claude-sonnet-4.5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
      let text = '';
      stream.on('text', (delta) => (text += delta));
      await expect(stream.finalMessage()).rejects.toThrow(/message CRC/);
      expect(text).not.toContain('GARBLED');
      const openai = new OpenAI({ apiKey: running.clientKey, baseURL: `${running.url}/v1`, maxRetries: 0 });
      const refused = await settled(openai.chat.completions.create({ model: 'kiro/claude-sonnet-4.5', messages: [{ role: 'user', content: 'hi' }] }));
      expect(refused.ok).toBe(false);
      expect((refused as { error: Error }).error.message).toMatch(/message CRC/);
      expect((refused as { error: { status?: number } }).error.status).toBe(502);
    } finally {
      codewhisperer.setHandler(defaultKiroReply);
    }
  });

  it('lists the models ListAvailableModels reports', async () => {
    const response = await fetch(`${running.url}/v1/models`, { headers: { authorization: `Bearer ${running.clientKey}` } });
    const ids = ((await response.json()) as { data: Array<{ id: string }> }).data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(['kiro/claude-sonnet-4.5', 'kiro/claude-haiku-4.5']));
    expect(codewhisperer.requests.some((request) => request.path === '/ListAvailableModels')).toBe(true);
  });

  it('shows each account with its plan and usage limits in the guard snapshot, never a token', async () => {
    for (let waited = 0; waited < 5_000 && !running.engine.guard.snapshot().providers[0]!.keys.every((key) => key.account?.quota); waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    const keys = running.engine.guard.snapshot().providers[0]!.keys;
    expect(keys.map((key) => key.account?.login)).toEqual([users.a.email, users.b.email, users.c.email]);
    expect(keys[0]!.account!.plan).toBe('KIRO FREE');
    expect(keys[0]!.account!.quota!.windows).toEqual([expect.objectContaining({ name: 'credit', usedPercent: 25, remaining: 37.5, entitlement: 50 })]);
    const text = JSON.stringify(running.engine.guard.snapshot());
    for (const token of oidc.accessTokens) expect(text).not.toContain(token);
  });

  it('ten concurrent requests on an expired token cause exactly one refresh', async () => {
    const pool = running.engine.accounts!;
    const [a] = pool.records('kiro');
    oidc.accessLifetimeSeconds = 60; // inside the five-minute lead: due at once
    await pool.tokenSource(a!.id)!.refresh();
    oidc.accessLifetimeSeconds = 3600;
    const refreshes = oidc.refreshCount;
    oidc.refreshDelayMs = 100;
    const source = pool.tokenSource(a!.id)!;
    const results = await Promise.all(Array.from({ length: 10 }, () => source.valid()));
    oidc.refreshDelayMs = 0;
    expect(oidc.refreshCount).toBe(refreshes + 1);
    expect(new Set(results.map((tokens) => tokens.accessToken)).size).toBe(1);
    expect(JSON.parse((await secrets.get(`account:${a!.id}`))!).grant).toBe(results[0]!.grant);
  });

  it('a revoked refresh token marks that account "sign in again"; the other accounts keep serving', async () => {
    const pool = running.engine.accounts!;
    const c = pool.records('kiro').find((record) => record.label === users.c.email)!;
    oidc.revoke(users.c.userId);
    const refreshes = oidc.refreshCount;
    await expect(pool.tokenSource(c.id)!.refresh()).rejects.toThrow(/invalid_grant/);
    for (let index = 0; index < 4; index += 1) {
      const driver = drivers['openai-chat']('kiro/claude-sonnet-4.5');
      expect((await driver.turn(driver.start(), false)).text).toBe('Hello from the fake upstream.');
    }
    expect(oidc.refreshCount).toBe(refreshes + 1);
    const key = running.engine.guard.snapshot().providers[0]!.keys.find((entry) => entry.id === c.id)!;
    expect(key).toMatchObject({ state: 'disabled', account: { state: 'sign-in-again' } });
    expect(codewhisperer.requests.slice(-4).every((request) => request.user?.userId !== users.c.userId)).toBe(true);
  });

  it("one account's spent credits move requests to the next account, then to the next combo target", async () => {
    codewhisperer.spent.add(users.a.userId);
    for (let index = 0; index < 3; index += 1) {
      const driver = drivers.anthropic('kiro-first');
      expect((await driver.turn(driver.start(), false)).text).toBe('Hello from the fake upstream.');
    }
    const keys = () => running.engine.guard.snapshot().providers[0]!.keys;
    const a = keys().find((entry) => entry.account?.login === users.a.email)!;
    expect(a.state).toBe('exhausted');
    expect(a.exhaustedUntil).toBeGreaterThan(Date.now());
    // The last serving account runs out too: the combo's next target answers.
    codewhisperer.spent.add(users.b.userId);
    const driver = drivers['openai-responses']('kiro-first');
    expect((await driver.turn(driver.start(), false)).text).toBe('Hello from the backup provider.');
    expect(keys().find((entry) => entry.account?.login === users.b.email)!.state).toBe('exhausted');
    codewhisperer.spent.clear();
  });
});
