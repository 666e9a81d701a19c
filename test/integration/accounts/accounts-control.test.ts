// The dashboard's account channels against a real engine (desktop IPC and web mode share them): the risk text, a
// Copilot sign-in through the fake GitHub (device code shown, the fake approves), the account on the provider card
// and in the guard snapshot with login, plan, state and quota, the failures a person can meet (denied, expired,
// cancelled), removal, and the needs-sign-in event. No token may reach any view or event.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, ApiResult } from '../../../shared/api-contract.ts';
import { accountRisk } from '../../../shared/accounts/account-risk.ts';
import { FileSecretStore } from '../../../main/core/secrets/file-secret-store.ts';
import type { ControlService } from '../../../main/core/control/control-service.ts';
import { startFakeGithub, type FakeGithub } from '../../helpers/fake-accounts/fake-github.ts';
import { startFakeUpstream, type FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startEngine, type RunningEngine } from '../../helpers/start-engine.ts';

let api: FakeUpstream;
let github: FakeGithub;
let running: RunningEngine;
let control: ControlService;
const copilotTokens: string[] = [];
const events: Array<{ event: ApiEvent; payload: unknown }> = [];
const answers: unknown[] = [];
let stopEvents: () => void;

async function call<C extends Parameters<ControlService['dispatch']>[0]>(channel: C, args: unknown): Promise<ApiResult<C>> {
  const answer = await control.dispatch(channel, args);
  answers.push(answer);
  if (!answer.ok) throw new Error(`${channel}: ${answer.error.message}`);
  return answer.result;
}

/** Starts a sign-in and waits for its end, polling `accounts.signIn.wait` as the dialog does (bounded). */
async function signInToEnd(providerId = 'copilot') {
  const started = await call('accounts.signIn.start', { providerId });
  for (let round = 0; round < 40; round += 1) {
    const outcome = await call('accounts.signIn.wait', { flowId: started.flowId, waitMs: 500 });
    if (outcome.state !== 'pending') return { started, outcome };
  }
  throw new Error('the sign-in did not end within 40 polls');
}

beforeAll(async () => {
  api = await startFakeUpstream('openai', { keys: copilotTokens });
  github = await startFakeGithub({ copilotApi: 'https://api.individual.githubcopilot.com', copilotTokens });
  const hostOverrides = { 'github.com': github.url, 'api.github.com': github.url, 'api.individual.githubcopilot.com': new URL(api.url).origin };
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-accounts-control-'));
  running = await startEngine(
    { providers: [{ id: 'copilot', type: 'copilot', models: ['gpt-4.1'] }, { id: 'openai', type: 'openai', keys: [{ id: 'k1', secret: 'sk-fake-key-for-tests-000000' }], models: ['gpt-5'] }], network: { hostOverrides } },
    { logLevel: 'error', accounts: { dataDir, secrets: new FileSecretStore(join(dataDir, 'secrets.json')) } },
  );
  control = running.dashboard.control;
  stopEvents = control.subscribe((event, payload) => events.push({ event, payload }));
});

afterAll(async () => {
  stopEvents?.();
  await running?.stop();
  await Promise.all([api?.close(), github?.close()]);
});

describe('account channels', () => {
  it('states the vendor terms before a sign-in, from the one home of that text', async () => {
    const risk = await call('accounts.risk', { kind: 'copilot' });
    expect(risk.paragraphs).toEqual(accountRisk('copilot').paragraphs);
    expect(risk.question).toMatch(/Sign in with GitHub Copilot anyway/);
    expect(risk.notOffered.map((entry) => entry.product)).toEqual(['Claude Pro / Max', 'Antigravity']);
    // Nothing stands in the way of a Copilot sign-in; a gemini-cli provider without a client secret would say so here.
    expect(risk.blocker).toBeNull();
    expect((await call('accounts.risk', { kind: 'copilot', providerId: 'copilot' })).blocker).toBeNull();
  });

  it('shows the code and page, and once the fake approves the account is listed with login, plan and state', async () => {
    github.deviceSteps = ['pending', 'approve'];
    const { started, outcome } = await signInToEnd();
    expect(started.prompt).toMatchObject({ kind: 'device', verificationUrl: `${github.url}/login/device`, userCode: expect.stringMatching(/^[0-9A-F]{4}-[0-9A-F]{4}$/) });
    expect(outcome).toMatchObject({ state: 'signed-in', updated: false, account: { id: 'copilot-octo-fake', login: 'octo-fake', plan: 'copilot_pro', state: 'ready', kind: 'copilot', providerId: 'copilot' } });
    expect(events.some((entry) => entry.event === 'accounts.signIn' && (entry.payload as { state: string }).state === 'signed-in')).toBe(true);

    const { accounts } = await call('accounts.list', {});
    expect(accounts.map((account) => account.id)).toEqual(['copilot-octo-fake']);
    const providers = await call('providers.list', {});
    const copilot = providers.providers.find((provider) => provider.id === 'copilot')!;
    expect(copilot.keys).toEqual([expect.objectContaining({ id: 'copilot-octo-fake', label: 'octo-fake', source: 'account', last4: '', account: expect.objectContaining({ login: 'octo-fake', plan: 'copilot_pro', state: 'ready' }) })]);
    expect(copilot.health).toBe('healthy');
  });

  it('shows the premium-request quota on the card and in the guard snapshot', async () => {
    // The quota is read right after the sign-in; allow it a moment (bounded).
    for (let round = 0; round < 50 && !(await call('accounts.list', {})).accounts[0]?.quota; round += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    const [account] = (await call('accounts.list', {})).accounts;
    expect(account!.quota?.windows[0]).toMatchObject({ name: expect.any(String), remaining: github.premium.remaining, entitlement: github.premium.entitlement });
    const snapshot = await call('guard.snapshot', {});
    const key = snapshot.providers.find((provider) => provider.id === 'copilot')?.keys[0];
    expect(key?.account).toMatchObject({ login: 'octo-fake', state: 'ready', quota: { windows: [expect.objectContaining({ remaining: github.premium.remaining })] } });
  });

  it.each([
    [['pending', 'deny'] as const, 'denied'],
    [['pending', 'expire'] as const, 'expired'],
  ])('a sign-in that ends %j says so and stores nothing', async (steps, failure) => {
    github.deviceSteps = [...steps];
    const { outcome } = await signInToEnd();
    expect(outcome).toMatchObject({ state: 'failed', failure, message: expect.any(String) });
    expect((await call('accounts.list', {})).accounts).toHaveLength(1);
  });

  it('a cancelled sign-in ends as cancelled; a second wait sees the same outcome', async () => {
    github.deviceSteps = ['pending'];
    const started = await call('accounts.signIn.start', { providerId: 'copilot' });
    expect(await call('accounts.signIn.wait', { flowId: started.flowId, waitMs: 0 })).toEqual({ flowId: started.flowId, state: 'pending' });
    expect(await call('accounts.signIn.cancel', { flowId: started.flowId })).toEqual({ cancelled: true });
    const first = await call('accounts.signIn.wait', { flowId: started.flowId, waitMs: 5_000 });
    expect(first).toMatchObject({ state: 'failed', failure: 'cancelled' });
    expect(await call('accounts.signIn.wait', { flowId: started.flowId, waitMs: 0 })).toEqual(first);
  });

  it('refuses a sign-in for a key provider or an unknown one, and a pasted address for a device flow, in plain words', async () => {
    expect(await control.dispatch('accounts.signIn.start', { providerId: 'openai' })).toMatchObject({ ok: false, error: { code: 'invalid_arguments', message: expect.stringMatching(/takes API keys/) } });
    expect(await control.dispatch('accounts.signIn.start', { providerId: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await control.dispatch('accounts.risk', { kind: 'claude' })).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    github.deviceSteps = ['pending'];
    const started = await call('accounts.signIn.start', { providerId: 'copilot' });
    expect(await control.dispatch('accounts.signIn.submitRedirect', { flowId: started.flowId, url: 'http://localhost:1455/auth/callback?code=x&state=y' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/device-code/) } });
    await call('accounts.signIn.cancel', { flowId: started.flowId });
  });

  it('serves the same channels over HTTP for web mode', async () => {
    const response = await fetch(`${running.url}/api/accounts/list`, { headers: { authorization: `Bearer ${running.managementToken}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { accounts: Array<{ login: string }> };
    expect(body.accounts[0]?.login).toBe('octo-fake');
  });

  it('a revoked sign-in pushes needs-sign-in and the card says "must sign in again"', async () => {
    for (const token of github.githubTokens.keys()) github.revoke(token);
    await running.engine.accounts!.tokenSource('copilot-octo-fake')!.refresh().catch(() => {});
    expect(events.find((entry) => entry.event === 'accounts.needsSignIn')?.payload).toMatchObject({ accountId: 'copilot-octo-fake', providerId: 'copilot', label: 'octo-fake' });
    const copilot = (await call('providers.list', {})).providers.find((provider) => provider.id === 'copilot')!;
    expect(copilot.keys[0]).toMatchObject({ status: 'disabled', detail: expect.stringMatching(/^must sign in again/), account: { state: 'sign-in-again' } });
    expect(copilot.health).toBe('down');
  });

  it('removes an account', async () => {
    expect(await call('accounts.remove', { accountId: 'copilot-octo-fake' })).toEqual({ accounts: [] });
    expect(await control.dispatch('accounts.remove', { accountId: 'copilot-octo-fake' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('no token reached any answer or event', () => {
    const everything = JSON.stringify([answers, events]);
    const tokens = [...github.githubTokens.keys(), ...copilotTokens];
    expect(tokens.length).toBeGreaterThan(1);
    for (const token of tokens) expect(everything).not.toContain(token);
    expect(everything).not.toMatch(/gho_fake_|fake-copilot/);
  });
});
