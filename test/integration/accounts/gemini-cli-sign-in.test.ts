// Gemini CLI (Code Assist) sign-ins with real parts: Google's OAuth (authorize, token with the PKCE verifier and the
// client secret checked, userinfo) and Code Assist (loadCodeAssist, onboardUser with a long-running operation) as
// fakes on 127.0.0.1, reached through network.hostOverrides; the account pool and a file secret store on disk.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerSchema } from '../../../shared/config/provider-schema.ts';
import { AccountPool } from '../../../main/core/accounts/account-pool.ts';
import { setUpCodeAssist } from '../../../main/core/accounts/gemini-cli/code-assist-setup.ts';
import { geminiCliClientId } from '../../../main/core/accounts/gemini-cli/google-oauth.ts';
import { FileSecretStore } from '../../../main/core/secrets/file-secret-store.ts';
import { UpstreamClient } from '../../../main/core/upstream/upstream-client.ts';
import { startFakeCodeAssist, type FakeCodeAssist } from '../../helpers/fake-accounts/fake-google-code-assist.ts';
import { fakeGoogleClientSecret, startFakeGoogleOauth, type FakeGoogleOauth } from '../../helpers/fake-accounts/fake-google-oauth.ts';

let google: FakeGoogleOauth;
let codeAssist: FakeCodeAssist;
let hostOverrides: Record<string, string>;
const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-gcli-sign-in-'));
const secrets = new FileSecretStore(join(dataDir, 'secrets.json'));
const provider = providerSchema.parse({ id: 'gemini-cli', type: 'gemini-cli' });

const users = {
  ready: { id: '100000000000000000011', email: 'ready.fake@example.com' },
  fresh: { id: '100000000000000000012', email: 'fresh.fake@example.com' },
  ownProject: { id: '100000000000000000013', email: 'own.fake@example.com' },
  unverified: { id: '100000000000000000014', email: 'unverified.fake@example.com' },
  individual: { id: '100000000000000000015', email: 'individual.fake@example.com' },
};

async function settled<T>(promise: Promise<T>) {
  return promise.then((value) => ({ ok: true as const, value }), (error: Error) => ({ ok: false as const, error }));
}

async function withPool<T>(run: (pool: AccountPool) => Promise<T>): Promise<T> {
  const pool = new AccountPool({ dataDir, secrets });
  await pool.load();
  try {
    return await run(pool);
  } finally {
    await pool.close();
  }
}

/** Signs `user` in through the loopback listener, as a browser would; `project` as typed by the person. */
async function browserSignIn(pool: AccountPool, user: { id: string; email: string }, project?: string) {
  google.user = user;
  const handle = await pool.signIn('gemini-cli', { config: provider, hostOverrides, clientSecret: fakeGoogleClientSecret }, { callbackPorts: [0], ...(project ? { project } : {}) });
  if (handle.prompt.kind !== 'browser') throw new Error('expected a browser prompt');
  const landed = await fetch(google.authorize(handle.prompt.url));
  return { handle, landed, outcome: await settled(handle.done) };
}

beforeAll(async () => {
  google = await startFakeGoogleOauth();
  codeAssist = await startFakeCodeAssist(google.accessTokens);
  hostOverrides = { 'accounts.google.com': google.url, 'oauth2.googleapis.com': google.url, 'www.googleapis.com': google.url, 'cloudcode-pa.googleapis.com': codeAssist.url };
  codeAssist.users.set(users.ready.id, { currentTier: 'standard-tier', assignedProject: 'fake-project-ready', projects: ['fake-project-ready'] });
  codeAssist.users.set(users.fresh.id, { assignedProject: 'fake-project-fresh', projects: ['fake-project-fresh'], onboardingPolls: 2 });
  codeAssist.users.set(users.ownProject.id, { currentTier: 'standard-tier', projects: ['fake-own-project'] });
  codeAssist.users.set(users.unverified.id, { projects: [], validationRequired: true });
  codeAssist.users.set(users.individual.id, { projects: [], ineligible: [{ reasonCode: 'INELIGIBLE_ACCOUNT', reasonMessage: 'Login with Google for individuals is no longer available' }] });
});

afterAll(async () => {
  await Promise.all([google?.close(), codeAssist?.close()]);
});

describe('signing in with Google for Code Assist', () => {
  it('browser: state and PKCE on a 127.0.0.1 loopback, offline access, the public client; the project Code Assist assigned is kept', async () => {
    await withPool(async (pool) => {
      const { handle, landed, outcome } = await browserSignIn(pool, users.ready);
      if (handle.prompt.kind !== 'browser') return;
      const url = new URL(handle.prompt.url);
      expect(url.origin).toBe(google.url);
      expect(Object.fromEntries(url.searchParams)).toMatchObject({ client_id: geminiCliClientId, access_type: 'offline', code_challenge_method: 'S256', response_type: 'code' });
      expect(handle.prompt.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2callback$/);
      expect(landed.status).toBe(200);
      if (!outcome.ok) throw outcome.error;
      const { record } = outcome.value;
      expect(record).toMatchObject({ kind: 'gemini-cli', label: users.ready.email, project: 'fake-project-ready', plan: 'Gemini Code Assist Standard', vendorAccountId: `${users.ready.id}:fake-project-ready`, state: 'ready' });
      const stored = JSON.parse((await secrets.get(`account:${record.id}`))!) as { grant: string; accessToken: string; project: string };
      expect(stored).toMatchObject({ grant: expect.stringMatching(/^1\/\/fake-/), accessToken: expect.stringMatching(/^ya29\.fake-/), project: 'fake-project-ready' });
      // Nothing secret in the records file.
      const records = readFileSync(join(dataDir, 'accounts.json'), 'utf8');
      expect(records).not.toContain(stored.grant);
      expect(records).not.toContain(stored.accessToken);
    });
  });

  it('without a client secret the sign-in does not start, and says where the secret comes from; nothing is stored', async () => {
    await withPool(async (pool) => {
      const before = pool.records().length;
      const outcome = await settled(pool.signIn('gemini-cli', { config: provider, hostOverrides }, { callbackPorts: [0] }));
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.error.message).toMatch(/oauth\.clientSecret[\s\S]*code_assist\/oauth2\.ts/u);
      expect(pool.records()).toHaveLength(before);
    });
  });

  it('a callback with a foreign state is refused and the flow keeps waiting for the right one', async () => {
    await withPool(async (pool) => {
      google.user = users.ready;
      const handle = await pool.signIn('gemini-cli', { config: provider, hostOverrides, clientSecret: fakeGoogleClientSecret }, { callbackPorts: [0] });
      if (handle.prompt.kind !== 'browser') throw new Error('expected a browser prompt');
      const redirect = google.authorize(handle.prompt.url);
      expect((await fetch(redirect.replace(/state=[^&]+/, 'state=forged'))).status).toBe(400);
      expect((await fetch(redirect)).status).toBe(200);
      expect((await handle.done).updated).toBe(true);
    });
  });

  it('without a browser: Google’s code page and the pasted code; an account with no tier is onboarded, the operation polled until done', async () => {
    await withPool(async (pool) => {
      google.user = users.fresh;
      const handle = await pool.signIn('gemini-cli', { config: provider, hostOverrides, clientSecret: fakeGoogleClientSecret }, { device: true, onboardingPollMs: 5 });
      expect(handle.prompt.kind).toBe('code');
      if (handle.prompt.kind !== 'code') return;
      expect(new URL(handle.prompt.url).searchParams.get('redirect_uri')).toBe('https://codeassist.google.com/authcode');
      handle.submitRedirectUrl!('not a code');
      const refused = await settled(handle.done);
      expect(refused.ok).toBe(false);
      expect((refused as { error: Error }).error.message).toMatch(/does not look like the code/);

      const again = await pool.signIn('gemini-cli', { config: provider, hostOverrides, clientSecret: fakeGoogleClientSecret }, { device: true, onboardingPollMs: 5 });
      if (again.prompt.kind !== 'code') throw new Error('expected a code prompt');
      again.submitRedirectUrl!(google.authorizeForCode(again.prompt.url));
      const { record } = await again.done;
      expect(record).toMatchObject({ label: users.fresh.email, project: 'fake-project-fresh' });
      const rpcs = codeAssist.requests.filter((request) => request.user?.id === users.fresh.id).map((request) => request.rpc.replace(/onboard-fake-\d+/, 'op'));
      expect(rpcs).toEqual(['loadCodeAssist', 'onboardUser', 'operations/op', 'operations/op', 'operations/op']);
      const onboard = codeAssist.requests.find((request) => request.rpc === 'onboardUser')!;
      expect(onboard.json).toMatchObject({ tierId: 'standard-tier', metadata: { pluginType: 'GEMINI' } });
    });
  });

  it('an entered project is used as is; a wrong one, or a project number, is refused with what to do, and nothing is stored', async () => {
    await withPool(async (pool) => {
      const before = (await pool.registry.list()).length;
      const wrong = await browserSignIn(pool, users.ownProject, 'someone-elses-project');
      expect(wrong.outcome.ok).toBe(false);
      expect((wrong.outcome as { error: Error }).error.message).toMatch(/refused the Google Cloud project "someone-elses-project".*--project <id>.*Nothing was stored/);
      google.user = users.ownProject;
      await expect(pool.signIn('gemini-cli', { config: provider, hostOverrides, clientSecret: fakeGoogleClientSecret }, { callbackPorts: [0], project: '123456789012' }).then(async (handle) => {
        if (handle.prompt.kind === 'browser') await fetch(google.authorize(handle.prompt.url));
        return handle.done;
      })).rejects.toThrow(/project number; Code Assist wants the project id/);
      expect((await pool.registry.list()).length).toBe(before);

      const right = await browserSignIn(pool, users.ownProject, 'fake-own-project');
      expect(right.outcome.ok).toBe(true);
      expect((right.outcome as { value: { record: { project: string } } }).value.record.project).toBe('fake-own-project');
    });
  });

  it('an account Google wants verified, and an individual account with no tier left, each get a plain message', async () => {
    await withPool(async (pool) => {
      const unverified = await browserSignIn(pool, users.unverified);
      expect((unverified.outcome as { error: Error }).error.message).toMatch(/VALIDATION_REQUIRED.*Open https:\/\/accounts\.google\.com\/signin\/continue\?fake=1/);
      const individual = await browserSignIn(pool, users.individual);
      expect((individual.outcome as { error: Error }).error.message).toMatch(/no Gemini Code Assist tier \(Login with Google for individuals is no longer available\).*18 June 2026/);
    });
  });

  it('onboarding that never finishes is given up after a bounded number of polls', async () => {
    const upstream = new UpstreamClient();
    try {
      google.user = users.fresh;
      codeAssist.users.set(users.fresh.id, { assignedProject: 'fake-project-fresh', projects: ['fake-project-fresh'], onboardingPolls: 1_000 });
      const token = [...google.accessTokens.entries()].find(([, user]) => user.id === users.fresh.id)![0];
      const context = { http: { upstream, hostOverrides }, clientId: geminiCliClientId, now: Date.now };
      await expect(setUpCodeAssist(context, token, { pollIntervalMs: 1, maxPolls: 3 })).rejects.toThrow(/still setting up this account after 3 checks/);
    } finally {
      await upstream.close();
    }
  });
});
