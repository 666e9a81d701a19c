import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountRisk } from '../../shared/accounts/account-risk.ts';
import type { Engine } from '../../main/core/engine.ts';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-accounts/fake-github.ts';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream/fake-upstream.ts';
import type { TestBrowser } from './browser.ts';
import { launchBrowser } from './browser.ts';
import { ensureRendererBuilt } from './build-renderer.ts';
import { startWebServe } from './web-serve.ts';

// Signing in a GitHub Copilot account from the dashboard, with real parts: the built renderer in headless Chromium,
// `serve` on a data dir, and the fake GitHub / Copilot API on 127.0.0.1 (network.hostOverrides points the vendor
// hosts at them). A person adds a Copilot provider, reads the risk, signs in with the device code the fake then
// approves, and sees the account on the card with its plan, state and quota. No token reaches the page.

let dataDir: string;
let engine: Engine;
let api: FakeUpstream;
let github: FakeGithub;
let browser: TestBrowser;
let signInUrl: string;
const copilotTokens: string[] = [];

beforeAll(async () => {
  await ensureRendererBuilt();
  api = await startFakeUpstream('openai', { keys: copilotTokens });
  github = await startFakeGithub({ copilotApi: 'https://api.individual.githubcopilot.com', copilotTokens });
  dataDir = await mkdtemp(join(tmpdir(), 'switchyard-e2e-accounts-'));
  const hostOverrides = { 'github.com': github.url, 'api.github.com': github.url, 'api.individual.githubcopilot.com': new URL(api.url).origin };
  await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ schemaVersion: 1, config: { network: { hostOverrides } } }));
  ({ engine, signInUrl } = await startWebServe(dataDir, {}, { secretStore: 'file' }));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await engine?.stop(2_000);
  await Promise.all([api?.close(), github?.close()]);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('signing in a Copilot account from the dashboard', () => {
  it('adds a Copilot provider, shows the risk first, then the code; the fake approves and the account is Ready', async () => {
    const { page } = browser;
    await page.goto(signInUrl);
    // No provider yet: the setup wizard opens first (test/e2e/setup-wizard.test.ts walks it); this person skips it.
    await page.getByRole('heading', { level: 1, name: 'Set up Switchyard' }).waitFor();
    await page.getByRole('button', { name: 'Cancel setup' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard', exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Providers' }).click();
    await page.getByRole('heading', { name: 'No providers yet' }).waitFor();

    await page.getByRole('button', { name: 'Add provider' }).first().click();
    const add = page.getByRole('dialog', { name: 'Add a provider' });
    await add.getByRole('radio', { name: /GitHub Copilot/ }).check();
    await add.getByText('Sign in with your GitHub Copilot account').waitFor();
    expect(await add.getByTestId('keys-input').count()).toBe(0);
    await browser.screenshot('accounts-01-add-copilot');
    await add.getByRole('button', { name: 'Add and sign in' }).click();

    // The vendor's terms come first, and nothing starts until the person chooses.
    const dialog = page.getByRole('dialog', { name: 'Sign in with GitHub' });
    await dialog.getByTestId('sign-in-risk').waitFor();
    await dialog.getByText(accountRisk('copilot').paragraphs[1]!).waitFor();
    await dialog.getByText('Sign in with GitHub Copilot anyway?').waitFor();
    expect(github.requests.some((request) => request.path === '/login/device/code')).toBe(false);
    await browser.screenshot('accounts-02-risk');

    github.deviceSteps = ['pending'];
    await dialog.getByTestId('accept-risk').click();
    await dialog.getByTestId('sign-in-waiting').waitFor();
    const code = (await dialog.getByTestId('user-code').textContent()) ?? '';
    expect(code).toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}$/);
    // The page link is the vendor's, redirected by network.hostOverrides.
    expect(await dialog.getByRole('link', { name: `${github.url}/login/device` }).count()).toBe(1);
    await dialog.getByRole('button', { name: 'Copy code' }).waitFor();
    await dialog.getByRole('status').waitFor();
    await browser.screenshot('accounts-03-device-code');

    github.deviceSteps = ['approve'];
    await dialog.getByTestId('sign-in-done').waitFor({ timeout: 10_000 });
    expect(await dialog.getByTestId('sign-in-done').textContent()).toContain('octo-fake (copilot_pro)');
    await browser.screenshot('accounts-04-signed-in');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByTestId('provider-copilot').getByTestId('account-copilot-octo-fake');
    await row.waitFor();
    await expect.poll(() => row.textContent(), { timeout: 8_000 }).toMatch(/octo-fake.*copilot_pro.*(Ready|Active).*left/);
    await expect.poll(() => page.locator('.toast').count(), { timeout: 8_000 }).toBe(0);
    await browser.screenshot('accounts-05-provider-card');

    const html = await page.content();
    for (const token of [...github.githubTokens.keys(), ...copilotTokens]) expect(html).not.toContain(token);
    expect(await readFile(join(dataDir, 'accounts.json'), 'utf8')).toContain('octo-fake');
  });

  it('says plainly when GitHub denies the sign-in, and stores nothing', async () => {
    const { page } = browser;
    await page.getByTestId('provider-copilot').getByRole('button', { name: 'Add account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in with GitHub' });
    github.deviceSteps = ['pending', 'deny'];
    await dialog.getByTestId('accept-risk').click();
    await dialog.getByTestId('sign-in-failed').waitFor({ timeout: 10_000 });
    await dialog.getByText('The sign-in was denied', { exact: true }).waitFor();
    await browser.screenshot('accounts-06-denied');
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await dialog.waitFor({ state: 'detached' });
    expect(JSON.parse(await readFile(join(dataDir, 'accounts.json'), 'utf8')).accounts).toHaveLength(1);
    expect(browser.problems).toEqual([]);
  });
});
