import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../core/secrets/secret-store.ts';
import { startFakeGithub, type FakeGithub } from '../../../test/helpers/fake-accounts/fake-github.ts';
import { startFakeUpstream, type FakeUpstream } from '../../../test/helpers/fake-upstream/fake-upstream.ts';
import type { TrayEngine } from '../../../test/app/tray-from-engine.ts';
import { startTrayEngine } from '../../../test/app/tray-from-engine.ts';

// The tray of a real engine with a signed-in Copilot account (fake GitHub on 127.0.0.1): ready after the sign-in,
// amber with "must sign in again" once GitHub revokes the sign-in, from the same views the dashboard reads.

let api: FakeUpstream;
let github: FakeGithub;
let engine: TrayEngine;
const copilotTokens: string[] = [];

beforeAll(async () => {
  api = await startFakeUpstream('openai', { keys: copilotTokens });
  github = await startFakeGithub({ copilotApi: 'https://api.individual.githubcopilot.com', copilotTokens });
  const hostOverrides = { 'github.com': github.url, 'api.github.com': github.url, 'api.individual.githubcopilot.com': new URL(api.url).origin };
  engine = await startTrayEngine(
    { providers: [{ id: 'copilot', type: 'copilot', name: 'GitHub Copilot', models: ['gpt-4.1'] }], network: { hostOverrides } },
    {},
    { accounts: { dataDir: mkdtempSync(join(tmpdir(), 'switchyard-tray-accounts-')), secrets: new MemorySecretStore() } },
  );
});

afterAll(async () => {
  await engine?.stop();
  await Promise.all([api?.close(), github?.close()]);
});

describe('the tray with signed-in accounts', () => {
  it('says a provider with no account signed in needs one', async () => {
    const state = await engine.tray();
    expect(state.mood).toBe('degraded');
    expect(state.problems).toEqual(['GitHub Copilot: has no account signed in']);
    expect(state.providers[0]).toMatchObject({ id: 'copilot', detail: 'no account' });
  });

  it('is healthy once an account signed in, and turns amber when it must sign in again', async () => {
    const control = engine.running.dashboard.control;
    github.deviceSteps = ['approve'];
    const started = await control.dispatch('accounts.signIn.start', { providerId: 'copilot' });
    if (!started.ok) throw new Error(started.error.message);
    const outcome = await control.dispatch('accounts.signIn.wait', { flowId: started.result.flowId, waitMs: 10_000 });
    expect(outcome).toMatchObject({ ok: true, result: { state: 'signed-in' } });

    expect(await engine.tray()).toMatchObject({ mood: 'healthy', problems: [], providers: [{ id: 'copilot', health: 'healthy', detail: '1 of 1 account ready' }] });

    for (const token of github.githubTokens.keys()) github.revoke(token);
    await engine.running.engine.accounts!.tokenSource('copilot-octo-fake')!.refresh().catch(() => {});
    const state = await engine.tray();
    expect(state.mood).toBe('degraded');
    expect(state.problems).toEqual(['GitHub Copilot: account octo-fake must sign in again (Providers)']);
    expect(state.headline).toBe('Serving with problems: GitHub Copilot: account octo-fake must sign in again (Providers)');
    expect(state.providers[0]).toMatchObject({ health: 'down', detail: '0 of 1 account ready' });
  });
});
