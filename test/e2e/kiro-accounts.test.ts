import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountRisk } from '../../shared/accounts/account-risk.ts';
import type { Engine } from '../../main/core/engine.ts';
import { startFakeAwsOidc, type FakeAwsOidc } from '../helpers/fake-accounts/fake-aws-oidc.ts';
import { startFakeCodewhisperer, type FakeCodewhisperer } from '../helpers/fake-accounts/fake-aws-codewhisperer.ts';
import type { TestBrowser } from './browser.ts';
import { launchBrowser } from './browser.ts';
import { ensureRendererBuilt } from './build-renderer.ts';
import { startWebServe } from './web-serve.ts';

// Signing in a Kiro account from the dashboard, with real parts: the built renderer in headless Chromium, `serve` on
// a data dir, and the fake AWS OIDC and CodeWhisperer on 127.0.0.1 (network.hostOverrides points the AWS hosts at
// them). A person adds a Kiro provider, reads the risk, enters their IAM Identity Center portal and region, approves
// the device code, and sees the account on the card with its plan and credits. No token reaches the page.

let dataDir: string;
let engine: Engine;
let oidc: FakeAwsOidc;
let codewhisperer: FakeCodewhisperer;
let browser: TestBrowser;
let signInUrl: string;
const portal = 'https://fake-company.awsapps.com/start';

beforeAll(async () => {
  await ensureRendererBuilt();
  oidc = await startFakeAwsOidc();
  codewhisperer = await startFakeCodewhisperer(oidc);
  dataDir = await mkdtemp(join(tmpdir(), 'switchyard-e2e-kiro-'));
  const hostOverrides = { 'oidc.us-east-1.amazonaws.com': oidc.url, 'oidc.eu-west-1.amazonaws.com': oidc.url, 'codewhisperer.us-east-1.amazonaws.com': codewhisperer.url };
  await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ schemaVersion: 1, config: { network: { hostOverrides } } }));
  ({ engine, signInUrl } = await startWebServe(dataDir, {}, { secretStore: 'file' }));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await engine?.stop(2_000);
  await Promise.all([oidc?.close(), codewhisperer?.close()]);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('signing in a Kiro account from the dashboard', () => {
  it('adds a Kiro provider, shows the risk and the portal fields, then the code; the fake approves and the account serves', async () => {
    const { page } = browser;
    await page.goto(signInUrl);
    await page.getByRole('heading', { level: 1, name: 'Set up Switchyard' }).waitFor();
    await page.getByRole('button', { name: 'Cancel setup' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard', exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Providers' }).click();
    await page.getByRole('heading', { name: 'No providers yet' }).waitFor();

    await page.getByRole('button', { name: 'Add provider' }).first().click();
    const add = page.getByRole('dialog', { name: 'Add a provider' });
    await add.getByRole('radio', { name: /Kiro/ }).check();
    await add.getByText('Sign in with your Kiro account').waitFor();
    await browser.screenshot('kiro-01-add-provider');
    await add.getByRole('button', { name: 'Add and sign in' }).click();

    // The terms come first, with Kiro's unconfirmed status said plainly; nothing reaches AWS before the choice.
    const dialog = page.getByRole('dialog', { name: 'Sign in with AWS' });
    await dialog.getByTestId('sign-in-risk').waitFor();
    await dialog.getByText(accountRisk('kiro').paragraphs[0]!).waitFor();
    await dialog.getByText('Sign in with Kiro anyway?').waitFor();
    expect(oidc.requests).toHaveLength(0);
    await dialog.getByLabel(/IAM Identity Center start URL/).fill(portal);
    await dialog.getByLabel(/Region of that IAM Identity Center/).fill('eu-west-1');
    await browser.screenshot('kiro-02-risk-and-portal');

    await dialog.getByTestId('accept-risk').click();
    await dialog.getByTestId('sign-in-waiting').waitFor();
    const code = (await dialog.getByTestId('user-code').textContent()) ?? '';
    expect(code).toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}$/);
    expect(await dialog.getByRole('link', { name: `${oidc.url}/device?user_code=${code}` }).count()).toBe(1);
    expect(oidc.startUrls).toEqual([portal]);
    await browser.screenshot('kiro-03-device-code');

    oidc.approve(code, { email: 'dash.fake@example.com', userId: 'user-fake-dash' });
    await dialog.getByTestId('sign-in-done').waitFor({ timeout: 10_000 });
    expect(await dialog.getByTestId('sign-in-done').textContent()).toContain('dash.fake@example.com (KIRO FREE)');
    await browser.screenshot('kiro-04-signed-in');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByTestId('provider-kiro').getByTestId('account-kiro-dash.fake-example.com');
    await row.waitFor();
    await expect.poll(() => row.textContent(), { timeout: 8_000 }).toMatch(/dash\.fake@example\.com.*KIRO FREE.*(Ready|Active).*left/);
    await expect.poll(() => page.locator('.toast').count(), { timeout: 8_000 }).toBe(0);
    await browser.screenshot('kiro-05-provider-card');

    const html = await page.content();
    for (const token of oidc.accessTokens) expect(html).not.toContain(token);
    expect(html).not.toContain('fake-client-secret');
    expect(await readFile(join(dataDir, 'accounts.json'), 'utf8')).toContain('dash.fake@example.com');
  });

  it('a start URL that is not https is refused in the dialog with the reason, and nothing starts', async () => {
    const { page } = browser;
    await page.getByTestId('provider-kiro').getByRole('button', { name: 'Add account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in with AWS' });
    const before = oidc.requests.length;
    await dialog.getByLabel(/IAM Identity Center start URL/).fill('http://insecure.example.com/start');
    await dialog.getByTestId('accept-risk').click();
    await dialog.getByText(/must be an https:\/\/ address/).waitFor({ timeout: 10_000 });
    await browser.screenshot('kiro-06-bad-start-url');
    expect(oidc.requests.length).toBe(before);
    await dialog.getByRole('button', { name: 'Go back' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The refused start is an HTTP 400 the browser logs as a failed load; nothing else may have gone wrong.
    expect(browser.problems.filter((problem) => !/Failed to load resource.*400/.test(problem))).toEqual([]);
  });
});
