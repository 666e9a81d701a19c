// Gemini CLI (Code Assist) accounts serving: the official SDKs of all four client formats through Switchyard to a
// fake Code Assist backend on 127.0.0.1 that checks the {model, project, request} envelope and answers wrapped in
// {response}; quota buckets in the guard snapshot; refresh races and a revoked grant against the fake Google OAuth;
// several accounts rotating under the guard, a spent quota moving to the next account and then to the next combo
// target; and VALIDATION_REQUIRED shown on the account and returned in the client's error format.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireFormat } from '../../../shared/wire-format.ts';
import { providerSchema } from '../../../shared/config/provider-schema.ts';
import { AccountPool } from '../../../main/core/accounts/account-pool.ts';
import { FileSecretStore } from '../../../main/core/secrets/file-secret-store.ts';
import { startFakeCodeAssist, type FakeCodeAssist } from '../../helpers/fake-accounts/fake-google-code-assist.ts';
import { fakeGoogleClientSecret, startFakeGoogleOauth, type FakeGoogleOauth } from '../../helpers/fake-accounts/fake-google-oauth.ts';
import { startFakeUpstream, type FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { sdkTurnDrivers, type ClientDriver } from '../../helpers/sdk-turn-drivers.ts';
import { startEngine, type RunningEngine } from '../../helpers/start-engine.ts';

const formats: WireFormat[] = ['anthropic', 'openai-chat', 'openai-responses', 'gemini'];
const users = [
  { id: '100000000000000000021', email: 'a.fake@example.com', project: 'fake-project-a' },
  { id: '100000000000000000022', email: 'b.fake@example.com', project: 'fake-project-b' },
  { id: '100000000000000000023', email: 'c.fake@example.com', project: 'fake-project-c' },
];
const model = 'gemini-cli/gemini-2.5-pro';
let google: FakeGoogleOauth;
let codeAssist: FakeCodeAssist;
let gemini: FakeUpstream;
let running: RunningEngine;
let drivers: Record<WireFormat, (model: string) => ClientDriver>;
const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-gcli-'));
const secrets = new FileSecretStore(join(dataDir, 'secrets.json'));

const generations = () => codeAssist.requests.filter((request) => request.rpc === 'generateContent' || request.rpc === 'streamGenerateContent');
const snapshotKeys = () => running.engine.guard.snapshot().providers.find((provider) => provider.id === 'gemini-cli')!.keys;
const accountOf = (email: string) => running.engine.accounts!.records('gemini-cli').find((record) => record.label === email)!;

async function until(check: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > 5_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  google = await startFakeGoogleOauth();
  codeAssist = await startFakeCodeAssist(google.accessTokens);
  gemini = await startFakeUpstream('gemini', { keys: ['fake-gemini-key-for-tests'] });
  const hostOverrides = { 'accounts.google.com': google.url, 'oauth2.googleapis.com': google.url, 'www.googleapis.com': google.url, 'cloudcode-pa.googleapis.com': codeAssist.url };
  const provider = providerSchema.parse({ id: 'gemini-cli', type: 'gemini-cli' });
  const pool = new AccountPool({ dataDir, secrets });
  await pool.load();
  for (const user of users) {
    codeAssist.users.set(user.id, { currentTier: 'standard-tier', assignedProject: user.project, projects: [user.project] });
    google.user = user;
    const handle = await pool.signIn('gemini-cli', { config: provider, hostOverrides, clientSecret: fakeGoogleClientSecret }, { callbackPorts: [0] });
    if (handle.prompt.kind !== 'browser') throw new Error('expected a browser prompt');
    await fetch(google.authorize(handle.prompt.url));
    await handle.done;
  }
  await pool.close();
  running = await startEngine(
    {
      providers: [
        { id: 'gemini-cli', type: 'gemini-cli', models: ['gemini-2.5-pro'], fetchModels: false, keyStrategy: 'round-robin', oauth: { clientSecret: fakeGoogleClientSecret } },
        { id: 'gemini', type: 'gemini', baseUrl: gemini.url, keys: [{ id: 'fallback', secret: 'fake-gemini-key-for-tests' }], models: ['gemini-2.5-pro'], fetchModels: false },
      ],
      combos: [{ name: 'gcli-first', targets: [model, 'gemini/gemini-2.5-pro'] }],
      network: { hostOverrides },
    },
    { logLevel: 'error', accounts: { dataDir, secrets } },
  );
  drivers = sdkTurnDrivers(running);
});

afterAll(async () => {
  await running?.stop();
  await Promise.all([google?.close(), codeAssist?.close(), gemini?.close()]);
});

describe.each(formats)('%s client through gemini-cli', (format) => {
  it('completes a streamed text turn in the Code Assist envelope, as the account', async () => {
    const driver = drivers[format](model);
    const result = await driver.turn(driver.start(), false);
    expect(result.text).toBe('Hello from the fake upstream.');
    expect(result.outputTokens).toBe(7);
    const seen = generations().at(-1)!;
    expect(seen.rpc).toBe('streamGenerateContent');
    expect(seen.query.get('alt')).toBe('sse');
    expect(seen.json).toMatchObject({ model: 'gemini-2.5-pro', project: expect.stringMatching(/^fake-project-[abc]$/), request: { contents: [expect.objectContaining({ role: 'user' })] } });
    // The project is the one of the account whose token went out.
    expect(users.find((user) => user.id === seen.user?.id)?.project).toBe(seen.json!.project);
    expect(seen.headers['user-agent']).toMatch(/^GeminiCLI\/[\d.]+\/gemini-2\.5-pro \(/);
  });

  it('completes a streamed two-step tool turn', async () => {
    const driver = drivers[format](model);
    const history = driver.start();
    const first = await driver.turn(history, true);
    expect(first.calls.map((call) => ({ name: call.name, args: call.args }))).toEqual([{ name: 'get_weather', args: { city: 'Paris' } }]);
    driver.addResults(history, first.calls);
    expect((await driver.turn(history, true)).text).toBe('The tool said: 18 degrees in Paris');
  });

  it('a non-streaming client gets generateContent, unwrapped', async () => {
    const driver = drivers[format](model);
    const history = driver.start();
    const first = await driver.turn(history, true, false);
    expect(first.calls.map((call) => call.name)).toEqual(['get_weather']);
    expect(generations().at(-1)!.rpc).toBe('generateContent');
    driver.addResults(history, first.calls);
    expect((await driver.turn(history, true, false)).text).toBe('The tool said: 18 degrees in Paris');
  });
});

describe('the accounts under the guard', () => {
  it('counts tokens through countTokens in its own envelope', async () => {
    const client = new GoogleGenAI({ apiKey: running.clientKey, httpOptions: { baseUrl: running.url } });
    const counted = await client.models.countTokens({ model, contents: 'How many tokens is this?' });
    expect(counted.totalTokens).toBe(42);
    expect(codeAssist.requests.at(-1)!.json).toMatchObject({ request: { model: 'models/gemini-2.5-pro', contents: [expect.objectContaining({ parts: [{ text: 'How many tokens is this?' }] })] } });
  });

  it('shows each account with its tier and the retrieveUserQuota buckets in the guard snapshot, never a token', async () => {
    await until(() => snapshotKeys().every((key) => key.account?.quota !== undefined), 'the quota of every account');
    const keys = snapshotKeys();
    expect(keys.map((key) => key.account?.login)).toEqual(users.map((user) => user.email));
    expect(keys[0]!.account!.plan).toBe('Gemini Code Assist Standard');
    expect(keys[0]!.account!.quota!.windows).toEqual([
      expect.objectContaining({ name: 'gemini-2.5-pro (requests)', usedPercent: 25, remaining: 750 }),
      expect.objectContaining({ name: 'gemini-2.5-flash (requests)', usedPercent: 10 }),
    ]);
    const text = JSON.stringify(running.engine.guard.snapshot());
    for (const token of google.accessTokens.keys()) expect(text).not.toContain(token);
  });

  it('the accounts take turns like keys', async () => {
    const before = generations().length;
    for (let index = 0; index < 3; index += 1) {
      const driver = drivers['openai-chat'](model);
      await driver.turn(driver.start(), false);
    }
    expect(new Set(generations().slice(before).map((request) => request.json!.project)).size).toBe(3);
  });

  it('RATE_LIMIT_EXCEEDED is retried after its RetryInfo delay; the client sees only the answer', async () => {
    codeAssist.rateLimitNext = 1;
    const driver = drivers.anthropic(model);
    expect((await driver.turn(driver.start(), false)).text).toBe('Hello from the fake upstream.');
    expect(codeAssist.rateLimitNext).toBe(0);
    expect(snapshotKeys().reduce((sum, key) => sum + key.rateLimited, 0)).toBe(1);
  });

  it('ten concurrent requests on a token due for refresh cause one refresh at Google', async () => {
    const pool = running.engine.accounts!;
    const a = accountOf(users[0]!.email);
    google.accessLifetimeSeconds = 60; // inside the five-minute lead: due at once
    await pool.tokenSource(a.id)!.refresh();
    google.accessLifetimeSeconds = 3600;
    const refreshes = google.refreshCount;
    google.refreshDelayMs = 100;
    const results = await Promise.all(Array.from({ length: 10 }, () => pool.tokenSource(a.id)!.valid()));
    google.refreshDelayMs = 0;
    expect(google.refreshCount).toBe(refreshes + 1);
    expect(new Set(results.map((tokens) => tokens.accessToken)).size).toBe(1);
    // Google keeps the refresh token; the project stays with the tokens.
    expect(JSON.parse((await secrets.get(`account:${a.id}`))!)).toMatchObject({ accessToken: results[0]!.accessToken, project: users[0]!.project });
  });

  it("one account's spent quota moves that model to the next accounts, and all spent moves on to the next combo target", async () => {
    // Nothing left over from the rate limit before (its account may still be cooling).
    for (const record of running.engine.accounts!.records('gemini-cli')) running.engine.guard.resetKey('gemini-cli', record.id);
    codeAssist.exhaustedProjects.add(users[0]!.project);
    const before = generations().length;
    for (let index = 0; index < 3; index += 1) {
      const driver = drivers.gemini('gcli-first');
      expect((await driver.turn(driver.start(), false)).text).toBe('Hello from the fake upstream.');
    }
    const a = snapshotKeys().find((key) => key.account?.login === users[0]!.email)!;
    expect(a.state).toBe('exhausted');
    expect(a.exhausted).toEqual([expect.objectContaining({ model: 'gemini-2.5-pro' })]);
    // Six hours from the quotaResetDelay, not the rest of the day.
    expect(a.exhaustedUntil! - Date.now()).toBeGreaterThan(5.9 * 3_600_000);
    expect(a.exhaustedUntil! - Date.now()).toBeLessThan(6.1 * 3_600_000);
    const tried = generations().slice(before).map((request) => request.json!.project);
    expect(tried.filter((project) => project === users[0]!.project)).toHaveLength(1);
    expect(gemini.requests).toHaveLength(0);

    for (const user of users.slice(1)) codeAssist.exhaustedProjects.add(user.project);
    for (let index = 0; index < 2; index += 1) {
      const driver = drivers.anthropic('gcli-first');
      expect((await driver.turn(driver.start(), false)).text).toBe('Hello from the fake upstream.');
    }
    expect(gemini.requests.map((request) => request.operation)).toEqual(['streamGenerateContent', 'streamGenerateContent']);
    expect(snapshotKeys().every((key) => key.state === 'exhausted')).toBe(true);
    codeAssist.exhaustedProjects.clear();
  });

  it('a revoked grant marks that account "sign in again" and refresh is not retried', async () => {
    const pool = running.engine.accounts!;
    const c = accountOf(users[2]!.email);
    google.revoke(users[2]!.id);
    const refreshes = google.refreshCount;
    await expect(pool.tokenSource(c.id)!.refresh()).rejects.toThrow(/invalid_grant/);
    await expect(pool.tokenSource(c.id)!.valid()).rejects.toThrow(/invalid_grant/);
    expect(google.refreshCount).toBe(refreshes + 1);
    const key = snapshotKeys().find((entry) => entry.id === c.id)!;
    expect(key).toMatchObject({ state: 'disabled', account: { state: 'sign-in-again', stateReason: expect.stringMatching(/invalid_grant/) } });
  });

  it('VALIDATION_REQUIRED is shown on the account and, with no account left, returned in the client’s error format', async () => {
    // The spent quotas of the test before are over (the person reset the accounts on the provider card).
    for (const record of running.engine.accounts!.records('gemini-cli')) running.engine.guard.resetKey('gemini-cli', record.id);
    for (const user of users) codeAssist.users.get(user.id)!.validationRequired = true;
    const client = new Anthropic({ apiKey: running.clientKey, baseURL: running.url, maxRetries: 0 });
    const failure = await client.messages.create({ model, max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }).then(
      () => undefined,
      (error: unknown) => error as { status?: number; error?: { type?: string; error?: { type?: string; message?: string } } },
    );
    expect(failure?.status).toBe(403);
    expect(failure?.error?.type).toBe('error');
    expect(failure?.error?.error?.message).toMatch(/VALIDATION_REQUIRED.*https:\/\/accounts\.google\.com\/signin\/continue\?fake=1.*reset the account/);
    const views = running.engine.accounts!.records('gemini-cli').map((record) => running.engine.accounts!.standing(record.id));
    const ready = views.filter((standing) => standing?.state === 'ready');
    expect(ready).toHaveLength(2);
    for (const standing of ready) expect(standing!.stateReason).toMatch(/^Google wants this account verified before it serves \(VALIDATION_REQUIRED/);
    const disabled = snapshotKeys().filter((key) => key.account?.state === 'ready');
    expect(disabled.map((key) => key.state)).toEqual(['disabled', 'disabled']);
  });
});
