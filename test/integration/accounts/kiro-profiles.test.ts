// Kiro accounts of IAM Identity Center set-ups that need a CodeWhisperer profile: the sign-in lists the account's
// profiles (ListAvailableProfiles, an AWS JSON 1.0 operation, paged) and keeps the chosen ARN with the account; chat,
// the model list and the usage limits name it; a fake CodeWhisperer that requires it refuses requests without it.
// AWS Builder ID sign-ins ask for no profile. Real parts: the fake AWS OIDC and CodeWhisperer on 127.0.0.1, the
// account pool on disk, the engine and the Anthropic SDK.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerSchema } from '../../../shared/config/provider-schema.ts';
import { AccountPool } from '../../../main/core/accounts/account-pool.ts';
import { FileSecretStore } from '../../../main/core/secrets/file-secret-store.ts';
import { startFakeAwsOidc, type FakeAwsOidc } from '../../helpers/fake-accounts/fake-aws-oidc.ts';
import { startFakeCodewhisperer, type FakeCodewhisperer } from '../../helpers/fake-accounts/fake-aws-codewhisperer.ts';
import { startEngine, type RunningEngine } from '../../helpers/start-engine.ts';

const portal = 'https://fake-org.awsapps.com/start';
const users = {
  org: { email: 'org.fake@example.com', userId: 'user-fake-org' },
  noProfile: { email: 'noprofile.fake@example.com', userId: 'user-fake-noprofile' },
  builder: { email: 'builder.fake@example.com', userId: 'user-fake-builder' },
};
const profiles = {
  frankfurt: { arn: 'arn:aws:codewhisperer:eu-central-1:000000000000:profile/FAKEFRA', profileName: 'fake-frankfurt' },
  virginia: { arn: 'arn:aws:codewhisperer:us-east-1:000000000000:profile/FAKEIAD', profileName: 'fake-virginia' },
};
let oidc: FakeAwsOidc;
let codewhisperer: FakeCodewhisperer;
let running: RunningEngine | undefined;
let hostOverrides: Record<string, string>;
const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-kiro-profiles-'));
const secrets = new FileSecretStore(join(dataDir, 'secrets.json'));
/** Each account serves its own provider here, so a request names the account it goes through. */
const providers = { org: 'kiro-org', noProfile: 'kiro-noprofile', builder: 'kiro-builder' };

async function signIn(user: { email: string; userId: string }, providerId: string, options: { startUrl?: string; region?: string }) {
  const pool = new AccountPool({ dataDir, secrets });
  await pool.load();
  try {
    const handle = await pool.signIn('kiro', { config: providerSchema.parse({ id: providerId, type: 'kiro' }), hostOverrides }, options);
    if (handle.prompt.kind !== 'device') throw new Error('expected a device prompt');
    oidc.approve(handle.prompt.userCode, user);
    return await handle.done;
  } finally {
    await pool.close();
  }
}

const profileCalls = () => codewhisperer.requests.filter((request) => request.path === '/' && request.headers['x-amz-target'] === 'AmazonCodeWhispererService.ListAvailableProfiles');

beforeAll(async () => {
  oidc = await startFakeAwsOidc();
  codewhisperer = await startFakeCodewhisperer(oidc);
  hostOverrides = { 'oidc.us-east-1.amazonaws.com': oidc.url, 'oidc.eu-west-1.amazonaws.com': oidc.url, 'codewhisperer.us-east-1.amazonaws.com': codewhisperer.url };
  // Two profiles on two pages: the one in us-east-1 (where Switchyard sends requests) is chosen although listed second.
  codewhisperer.profiles.set(users.org.userId, [profiles.frankfurt, profiles.virginia]);
  codewhisperer.profilePageSize = 1;
  codewhisperer.requireProfile.add(users.org.userId);
  codewhisperer.requireProfile.add(users.noProfile.userId);
});

afterAll(async () => {
  await running?.stop();
  await Promise.all([oidc?.close(), codewhisperer?.close()]);
});

describe('the CodeWhisperer profile of IAM Identity Center accounts', () => {
  it('an Identity Center sign-in lists the profiles (every page) and keeps the chosen ARN with the account, not as a secret', async () => {
    const { record } = await signIn(users.org, providers.org, { startUrl: portal, region: 'eu-west-1' });
    const calls = profileCalls();
    expect(calls).toHaveLength(2);
    expect(calls[0]!.headers).toMatchObject({ 'content-type': 'application/x-amz-json-1.0', authorization: expect.stringMatching(/^Bearer /) });
    expect(calls[0]!.json).toMatchObject({ maxResults: 50 });
    expect(calls[1]!.json).toMatchObject({ nextToken: 'page-fake-1' });
    // getUsageLimits named the profile too, so who signed in (and the plan) is known.
    expect(record).toMatchObject({ label: users.org.email, plan: 'KIRO FREE', profileArn: profiles.virginia.arn });
    expect(JSON.parse(readFileSync(join(dataDir, 'accounts.json'), 'utf8')).accounts[0]).toMatchObject({ profileArn: profiles.virginia.arn });
    expect(JSON.parse((await secrets.get(`account:${record.id}`))!)).toMatchObject({ profileArn: profiles.virginia.arn, startUrl: portal });
  });

  it('an AWS Builder ID sign-in asks for no profile', async () => {
    const before = profileCalls().length;
    const { record } = await signIn(users.builder, providers.builder, {});
    expect(profileCalls()).toHaveLength(before);
    expect(record.profileArn).toBeUndefined();
  });

  it('an Identity Center account without profiles still signs in, with none kept', async () => {
    const { record } = await signIn(users.noProfile, providers.noProfile, { startUrl: portal });
    expect(record.profileArn).toBeUndefined();
    // The fake refused its getUsageLimits (no profile to name): the label falls back to the portal's host.
    expect(record.label).toBe('fake-org.awsapps.com');
  });

  it('requests, the model list and the usage limits carry the profile, also after a refresh; a service that requires it refuses a request without it', async () => {
    const config = (id: string) => ({ id, type: 'kiro' as const, models: ['claude-sonnet-4.5'] });
    running = await startEngine({ providers: Object.values(providers).map(config), network: { hostOverrides } }, { logLevel: 'warn', accounts: { dataDir, secrets } });
    const anthropic = new Anthropic({ apiKey: running.clientKey, baseURL: running.url, maxRetries: 0 });
    const ask = (providerId: string) => anthropic.messages.create({ model: `${providerId}/claude-sonnet-4.5`, max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    const lastChat = () => codewhisperer.requests.filter((request) => request.path === '/generateAssistantResponse').at(-1)!;

    const answer = await ask(providers.org);
    expect(answer.content[0]).toMatchObject({ type: 'text', text: 'Hello from the fake upstream.' });
    expect(lastChat().user?.userId).toBe(users.org.userId);
    expect(lastChat().json).toMatchObject({ profileArn: profiles.virginia.arn, conversationState: { currentMessage: { userInputMessage: { content: 'hi' } } } });

    // A Builder ID account names no profile.
    await ask(providers.builder);
    expect(lastChat().user?.userId).toBe(users.builder.userId);
    expect(lastChat().json).not.toHaveProperty('profileArn');

    const models = await fetch(`${running.url}/v1/models`, { headers: { authorization: `Bearer ${running.clientKey}` } });
    const ids = ((await models.json()) as { data: Array<{ id: string }> }).data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(['kiro-org/claude-haiku-4.5']));
    const listed = codewhisperer.requests.filter((request) => request.path === '/ListAvailableModels' && request.user?.userId === users.org.userId);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((request) => request.query.get('profileArn') === profiles.virginia.arn)).toBe(true);
    const usage = codewhisperer.requests.filter((request) => request.path === '/getUsageLimits' && request.user?.userId === users.org.userId);
    expect(usage.length).toBeGreaterThan(0);
    expect(usage.every((request) => request.query.get('profileArn') === profiles.virginia.arn)).toBe(true);

    // A refresh keeps the profile.
    const pool = running.engine.accounts!;
    const org = pool.records(providers.org)[0]!;
    await pool.tokenSource(org.id)!.refresh();
    expect(JSON.parse((await secrets.get(`account:${org.id}`))!)).toMatchObject({ profileArn: profiles.virginia.arn });
    await ask(providers.org);
    expect(lastChat().json).toMatchObject({ profileArn: profiles.virginia.arn });

    // The Identity Center account with no profile kept: the service requires one and refuses (the model list or the
    // chat, whichever asked first, which takes the account out), and the client hears why and what to do.
    const refused = await ask(providers.noProfile).then(
      () => undefined,
      (error: Error & { status?: number }) => error,
    );
    expect(refused?.message).toMatch(/must name a CodeWhisperer profile \(profileArn\) in each request\. Sign the account in again so Switchyard looks up its profile/);
    const sent = codewhisperer.requests.filter((request) => request.user?.userId === users.noProfile.userId && request.path !== '/getUsageLimits');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((request) => request.query.get('profileArn') === null && request.json?.profileArn === undefined)).toBe(true);
  });
});
