import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountRisk } from '../../shared/accounts/account-risk.ts';
import type { Engine } from '../../main/core/engine.ts';
import { startFakeCodeAssist, type FakeCodeAssist } from '../helpers/fake-accounts/fake-google-code-assist.ts';
import { fakeGoogleClientSecret, startFakeGoogleOauth, type FakeGoogleOauth } from '../helpers/fake-accounts/fake-google-oauth.ts';
import type { TestBrowser } from './browser.ts';
import { launchBrowser, screenshotDir } from './browser.ts';
import { ensureRendererBuilt } from './build-renderer.ts';
import { startWebServe } from './web-serve.ts';

// Signing in Gemini Code Assist (gemini-cli) accounts from the dashboard, with real parts: the built renderer in
// headless Chromium, `serve` on a data dir, and the fake Google OAuth and Code Assist on 127.0.0.1 (network.
// hostOverrides points Google's hosts at them). The provider "gemini-cli" has oauth.clientSecret from the
// environment; a second one, added in the dashboard, has none and the dialog says so before anything starts. A
// person reads the risk, signs in without a browser (the pasted code, PKCE) and with one (the loopback callback),
// sees the project Code Assist discovered or set up, and the account on the card with its quota buckets; an
// account Google wants verified gets the plain message. No token reaches the page.

let dataDir: string;
let engine: Engine;
let google: FakeGoogleOauth;
let codeAssist: FakeCodeAssist;
let browser: TestBrowser;
let signInUrl: string;

const users = {
  fresh: { id: '100000000000000000021', email: 'fresh.dash@example.com' },
  ready: { id: '100000000000000000022', email: 'ready.dash@example.com' },
  unverified: { id: '100000000000000000023', email: 'unverified.dash@example.com' },
};
const googleRequests = () => google.requests.filter((request) => request.path === '/token').length;

beforeAll(async () => {
  await ensureRendererBuilt();
  google = await startFakeGoogleOauth();
  codeAssist = await startFakeCodeAssist(google.accessTokens);
  // No tier yet: onboardUser, its operation polled once (Code Assist's 5 s interval) before it answers the project.
  codeAssist.users.set(users.fresh.id, { assignedProject: 'fake-project-onboarded', projects: ['fake-project-onboarded'], onboardingPolls: 0 });
  codeAssist.users.set(users.ready.id, { currentTier: 'standard-tier', assignedProject: 'fake-project-ready', projects: ['fake-project-ready'] });
  codeAssist.users.set(users.unverified.id, { projects: [], validationRequired: true });
  dataDir = await mkdtemp(join(tmpdir(), 'switchyard-e2e-gcli-'));
  const hostOverrides = { 'accounts.google.com': google.url, 'oauth2.googleapis.com': google.url, 'www.googleapis.com': google.url, 'cloudcode-pa.googleapis.com': codeAssist.url };
  const providers = [{ id: 'gemini-cli', type: 'gemini-cli', oauth: { clientSecret: { env: 'SWITCHYARD_E2E_GOOGLE_CLIENT_SECRET' } } }];
  await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ schemaVersion: 1, config: { network: { hostOverrides }, providers } }));
  ({ engine, signInUrl } = await startWebServe(dataDir, { SWITCHYARD_E2E_GOOGLE_CLIENT_SECRET: fakeGoogleClientSecret }, { secretStore: 'file' }));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await engine?.stop(2_000);
  await Promise.all([google?.close(), codeAssist?.close()]);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('signing in a Gemini Code Assist account from the dashboard', () => {
  it('a provider added without oauth.clientSecret says, next to the terms, that it needs one and where it comes from; nothing starts', async () => {
    const { page } = browser;
    await page.goto(signInUrl);
    await page.getByRole('heading', { level: 1, name: 'Dashboard', exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Providers' }).click();
    await page.getByTestId('provider-gemini-cli').waitFor();

    await page.getByRole('button', { name: 'Add provider' }).first().click();
    const add = page.getByRole('dialog', { name: 'Add a provider' });
    await add.getByRole('radio', { name: /Gemini Code Assist/ }).check();
    await add.getByText('Sign in with your Gemini Code Assist account').waitFor();
    await browser.screenshot('gcli-01-add-provider');
    await add.getByRole('button', { name: 'Add and sign in' }).click();

    const dialog = page.getByRole('dialog', { name: 'Sign in with Google' });
    await dialog.getByTestId('sign-in-risk').waitFor();
    await dialog.getByText('Set this provider’s oauth.clientSecret first').waitFor();
    const blocker = (await dialog.getByTestId('sign-in-blocker').textContent()) ?? '';
    expect(blocker).toMatch(/oauth\.clientSecret/);
    expect(blocker).toMatch(/packages\/core\/src\/code_assist\/oauth2\.ts/);
    expect(await dialog.getByTestId('accept-risk').isDisabled()).toBe(true);
    await browser.screenshot('gcli-02-no-client-secret');
    expect(googleRequests()).toBe(0);
    await dialog.getByRole('button', { name: 'Go back' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('without a browser: the risk first, then Google’s page and the pasted code; the account is onboarded and its project shown', async () => {
    const { page } = browser;
    await page.getByTestId('provider-gemini-cli').getByRole('button', { name: 'Add account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in with Google' });
    await dialog.getByTestId('sign-in-risk').waitFor();
    await dialog.getByText(accountRisk('gemini-cli').paragraphs[0]!).waitFor();
    await dialog.getByText(accountRisk('gemini-cli').question).waitFor();
    expect(await dialog.getByTestId('sign-in-blocker').count()).toBe(0);
    await dialog.getByLabel(/No browser on this machine/).check();
    await browser.screenshot('gcli-03-risk');
    // Nothing reaches Google before the person confirms.
    expect(googleRequests()).toBe(0);
    expect(codeAssist.requests).toHaveLength(0);

    await dialog.getByTestId('accept-risk').click();
    await dialog.getByTestId('sign-in-waiting').waitFor();
    const pageUrl = (await dialog.getByRole('link', { name: 'open the sign-in page' }).getAttribute('href')) ?? '';
    expect(new URL(pageUrl).origin).toBe(google.url);
    expect(new URL(pageUrl).searchParams.get('redirect_uri')).toBe('https://codeassist.google.com/authcode');
    await browser.screenshot('gcli-04-paste-code');

    // The person signs in on another device; Google's code page shows the code, which they paste here.
    google.user = users.fresh;
    await dialog.getByTestId('pasted-code').fill(google.authorizeForCode(pageUrl));
    await dialog.getByRole('button', { name: 'Finish sign-in' }).click();
    await dialog.getByTestId('sign-in-done').waitFor({ timeout: 20_000 });
    expect(await dialog.getByTestId('sign-in-done').textContent()).toContain('fresh.dash@example.com (Gemini Code Assist Standard)');
    expect(await dialog.getByTestId('sign-in-project-used').textContent()).toContain('fake-project-onboarded');
    const rpcs = codeAssist.requests.filter((request) => request.user?.id === users.fresh.id).map((request) => request.rpc.replace(/onboard-fake-\d+/, 'op'));
    expect(rpcs.slice(0, 3)).toEqual(['loadCodeAssist', 'onboardUser', 'operations/op']);
    await browser.screenshot('gcli-05-signed-in');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByTestId('provider-gemini-cli').getByTestId('account-gemini-cli-fresh.dash-example.com');
    await row.waitFor();
    await expect.poll(() => row.textContent(), { timeout: 8_000 }).toMatch(/fresh\.dash@example\.com.*project fake-project-onboarded.*Gemini Code Assist Standard.*(Ready|Active).*gemini-2\.5-pro \(requests\): 25% used.*gemini-2\.5-flash \(requests\): 10% used/);
    await browser.screenshot('gcli-06-provider-card');
  });

  it('with a browser: the loopback callback on 127.0.0.1 finishes the sign-in with the project Code Assist assigned', async () => {
    const { page, context } = browser;
    await page.getByTestId('provider-gemini-cli').getByRole('button', { name: 'Add account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in with Google' });
    await dialog.getByTestId('accept-risk').click();
    await dialog.getByTestId('sign-in-waiting').waitFor();
    const pageUrl = (await dialog.getByRole('link', { name: 'open the sign-in page' }).getAttribute('href')) ?? '';
    await browser.screenshot('gcli-07-browser-sign-in');

    // Google sends the browser back to Switchyard's listener with the code and state.
    google.user = users.ready;
    const redirect = google.authorize(pageUrl);
    expect(redirect).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2callback\?state=/);
    const tab = await context.newPage();
    try {
      const landed = await tab.goto(redirect);
      expect(landed?.status()).toBe(200);
      await tab.screenshot({ path: join(screenshotDir, 'gcli-08-callback-page.png') });
    } finally {
      await tab.close();
    }
    await dialog.getByTestId('sign-in-done').waitFor({ timeout: 10_000 });
    expect(await dialog.getByTestId('sign-in-project-used').textContent()).toContain('fake-project-ready');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByTestId('provider-gemini-cli').getByTestId('account-gemini-cli-ready.dash-example.com');
    await expect.poll(() => row.textContent(), { timeout: 8_000 }).toMatch(/ready\.dash@example\.com.*project fake-project-ready.*gemini-2\.5-pro \(requests\)/);
    await browser.screenshot('gcli-09-two-accounts');
  });

  it('an account Google wants verified gets the plain message with the link, and nothing is stored', async () => {
    const { page } = browser;
    await page.getByTestId('provider-gemini-cli').getByRole('button', { name: 'Add account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in with Google' });
    await dialog.getByTestId('accept-risk').click();
    await dialog.getByTestId('sign-in-waiting').waitFor();
    const pageUrl = (await dialog.getByRole('link', { name: 'open the sign-in page' }).getAttribute('href')) ?? '';
    google.user = users.unverified;
    expect((await fetch(google.authorize(pageUrl))).status).toBe(200);
    await dialog.getByTestId('sign-in-failed').waitFor({ timeout: 10_000 });
    const message = (await dialog.getByTestId('sign-in-failed').textContent()) ?? '';
    expect(message).toMatch(/VALIDATION_REQUIRED/);
    expect(message).toMatch(/https:\/\/accounts\.google\.com\/signin\/continue\?fake=1/);
    await browser.screenshot('gcli-10-validation-required');
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await dialog.waitFor({ state: 'detached' });

    const accounts = JSON.parse(await readFile(join(dataDir, 'accounts.json'), 'utf8')) as { accounts: Array<{ label: string }> };
    expect(accounts.accounts.map((account) => account.label).sort()).toEqual(['fresh.dash@example.com', 'ready.dash@example.com']);
    const html = await page.content();
    for (const token of google.accessTokens.keys()) expect(html).not.toContain(token);
    expect(html).not.toContain(fakeGoogleClientSecret);
    expect(browser.problems).toEqual([]);
  });
});

