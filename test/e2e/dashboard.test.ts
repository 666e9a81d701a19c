import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Engine } from '../../main/core/engine.ts';
import type { FakeUpstream } from '../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../helpers/fake-upstream/fake-upstream.ts';
import type { TestBrowser } from './browser.ts';
import { launchBrowser, screenshotDir } from './browser.ts';
import { ensureRendererBuilt } from './build-renderer.ts';
import { forgetKeychainKeys, keychainExpected, startWebServe, storedKeychainIds } from './web-serve.ts';

// The whole web-mode path with real parts: the built renderer in headless Chromium, `serve` (settings via conf, keys in
// the OS keychain when a Secret Service answers), a fake Gemini upstream on 127.0.0.1 that only accepts the two keys.
// A person adds a provider with two keys, tests it, makes a combo, activates it and sees the dashboard follow.

const keys = ['AIzaSyE2E-first-key-000000000001', 'AIzaSyE2E-second-key-00000000002'];

interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

let dataDir: string;
let engine: Engine;
let upstream: FakeUpstream;
let browser: TestBrowser;
let signInUrl: string;
let bannerLines: string[];

async function settingsDocument(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>;
}

/** Waits for confirmation toasts to fade, so screenshots show the screen itself. */
async function settle(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.toast').count(), { timeout: 8_000 }).toBe(0);
}

async function goTo(page: Page, screen: 'Dashboard' | 'Providers' | 'Combos' | 'Settings'): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: screen }).click();
  await page.getByRole('heading', { level: 1, name: screen, exact: true }).waitFor();
}

beforeAll(async () => {
  await ensureRendererBuilt();
  upstream = await startFakeUpstream('gemini', { keys });
  dataDir = await mkdtemp(join(tmpdir(), 'switchyard-e2e-data-'));
  ({ engine, signInUrl, banner: bannerLines } = await startWebServe(dataDir));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  // Keys this run put in the real keychain are removed again, so repeated runs leave nothing behind.
  if (dataDir) await forgetKeychainKeys(dataDir);
  await engine?.stop(2_000);
  await upstream?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('dashboard in web mode against the real engine', () => {
  it('prints a one-time sign-in link whose code sits in the fragment, and says where keys go', () => {
    expect(signInUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ui\/#code=[A-Za-z0-9_-]{40,}$/);
    expect(bannerLines.join('\n')).toContain(keychainExpected ? 'pasted keys go to: OS keychain' : 'pasted keys go to: file');
  });

  it('signs in with the link, wipes the code from the address bar and starts on an empty dashboard', async () => {
    const { page } = browser;
    await page.goto(signInUrl);
    // No provider yet: the setup wizard opens first (test/e2e/setup-wizard.test.ts walks it); this person skips it.
    await page.getByRole('heading', { level: 1, name: 'Set up Switchyard' }).waitFor();
    await page.getByRole('button', { name: 'Cancel setup' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard', exact: true }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/dashboard');
    expect(await page.evaluate(() => sessionStorage.getItem('switchyard.managementToken'))).toMatch(/^sym-/);
    await page.getByRole('heading', { name: 'Add your first provider' }).waitFor();
    await expect.poll(() => page.getByTestId('endpoint-url').textContent()).toBe(engine.url);
    await browser.screenshot('01-dashboard-empty');
  });

  it('adds a Gemini provider with two pasted keys; the page shows only their last four characters', async () => {
    const { page } = browser;
    await goTo(page, 'Providers');
    await page.getByRole('heading', { name: 'No providers yet' }).waitFor();
    await browser.screenshot('02-providers-empty');

    await page.getByRole('button', { name: 'Add provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a provider' });
    await dialog.getByRole('radio', { name: /Google Gemini/ }).check();
    // A key kind offers API keys; the subscription sign-ins (and the ones left out, with why) are named beside it.
    await dialog.getByText('Signing in with a subscription instead').waitFor();
    await expect.poll(() => dialog.getByRole('radio', { name: /^API key/ }).isChecked()).toBe(true);
    await dialog.getByLabel('API keys, one per line').fill(`${keys[0]}\n  ${keys[1]}  \n`);
    await dialog.getByRole('button', { name: 'More options' }).click();
    await dialog.getByLabel(/Address \(base URL\)/).fill(upstream.url);
    await browser.screenshot('03b-add-provider-filled');
    await dialog.locator('.dialog-body').evaluate((body) => body.scrollTo(0, 0));
    await browser.screenshot('03a-add-provider');
    await dialog.getByRole('button', { name: 'Add provider' }).click();
    await dialog.waitFor({ state: 'detached' });

    const card = page.getByTestId('provider-gemini');
    await card.getByRole('heading', { name: /gemini/ }).waitFor();
    await expect.poll(() => card.getByTestId('key-key-1').textContent()).toContain('…0001');
    await expect.poll(() => card.getByTestId('key-key-2').textContent()).toContain('…0002');
    const text = (await page.content()) ?? '';
    for (const key of keys) expect(text).not.toContain(key);

    // The settings file holds keychain ids only; the secrets are in the store.
    const document = await settingsDocument();
    expect(JSON.stringify(document)).not.toContain(keys[0]);
    expect(JSON.stringify(document)).not.toContain(keys[1]);
    const ids = await storedKeychainIds(dataDir);
    expect(ids).toHaveLength(2);
    if (keychainExpected) {
      const keytar = createRequire(import.meta.url)('keytar') as KeytarModule;
      expect(await Promise.all(ids.map((id) => keytar.getPassword('Switchyard', id)))).toEqual(keys);
    }
  });

  it('tests the connection through the guard, and switches a key off and on', async () => {
    const { page } = browser;
    const card = page.getByTestId('provider-gemini');
    await card.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => card.getByTestId('test-result').textContent()).toMatch(/^Connected\. gemini-2\.5-flash answered in \d+ ms\.$/);
    expect(upstream.requests.at(-1)?.model).toBe('gemini-2.5-flash');
    expect(keys).toContain(upstream.requests.at(-1)?.credential);

    const secondKey = card.getByTestId('key-key-2');
    await secondKey.getByRole('switch', { name: /Use key key-2/ }).click();
    await expect.poll(() => secondKey.textContent()).toContain('Off');
    await expect.poll(() => secondKey.getByRole('switch').getAttribute('aria-checked')).toBe('false');
    await expect.poll(async () => ((await settingsDocument()).config as { providers: Array<{ keys: Array<{ enabled?: boolean }> }> }).providers[0]!.keys[1]!.enabled).toBe(false);
    await secondKey.getByRole('switch', { name: /Use key key-2/ }).click();
    await expect.poll(() => secondKey.getByRole('switch').getAttribute('aria-checked')).toBe('true');
    await expect.poll(() => card.textContent()).toContain('Healthy');
    await settle(page);
    await browser.screenshot('04-providers');
  });

  it('creates a combo, puts its targets in order with the keyboard, and activates it', async () => {
    const { page } = browser;
    await goTo(page, 'Combos');
    await page.getByRole('heading', { name: 'No combos yet' }).waitFor();
    await page.getByRole('button', { name: 'New combo' }).click();
    const dialog = page.getByRole('dialog', { name: 'New combo' });
    await dialog.getByLabel('Name').fill('everyday');
    const select = dialog.getByTestId('target-select');
    await select.selectOption('gemini/gemini-2.5-flash');
    await dialog.getByRole('button', { name: 'Add', exact: true }).first().click();
    await select.selectOption('gemini/gemini-2.5-pro');
    await dialog.getByRole('button', { name: 'Add', exact: true }).first().click();
    // Reorder without a mouse: focus "move up" on the second target and press Enter.
    await dialog.getByRole('button', { name: 'Move gemini/gemini-2.5-pro up' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.locator('.target-name').allTextContents()).toEqual(['gemini/gemini-2.5-pro', 'gemini/gemini-2.5-flash']);
    await browser.screenshot('05-combo-editor');
    await dialog.getByRole('button', { name: 'Save combo' }).click();
    await dialog.waitFor({ state: 'detached' });

    const combo = page.getByTestId('combo-everyday');
    await combo.getByRole('button', { name: 'Make active' }).click();
    await combo.getByText('Active', { exact: true }).waitFor();
    await settle(page);
    await browser.screenshot('06-combos');
    const config = (await settingsDocument()).config as { activeCombo?: string; combos: Array<{ name: string; targets: string[] }> };
    expect(config.activeCombo).toBe('everyday');
    expect(config.combos).toEqual([{ name: 'everyday', targets: ['gemini/gemini-2.5-pro', 'gemini/gemini-2.5-flash'], strategy: 'fallback' }]);
  });

  it('shows the active combo and live guard counters on the dashboard', async () => {
    const { page } = browser;
    await goTo(page, 'Dashboard');
    await expect.poll(() => page.getByTestId('active-combo-name').textContent()).toBe('everyday');
    await expect.poll(() => page.getByTestId('active-combo-card').locator('ol li').allTextContents()).toEqual(['gemini/gemini-2.5-pro', 'gemini/gemini-2.5-flash']);
    await page.getByTestId('guard-table').getByRole('rowheader', { name: /gemini/ }).waitFor();

    // A client asks for a bare model name: the active combo serves it, and the counters move without a reload.
    const requests = page.getByTestId('stat-requests');
    const before = Number(await requests.textContent());
    const response = await fetch(`${engine.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': engine.runtime().clientKeys[0]! },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    expect(response.status).toBe(200);
    expect(upstream.requests.at(-1)?.model).toBe('gemini-2.5-pro');
    await expect.poll(async () => Number(await requests.textContent()), { timeout: 10_000 }).toBeGreaterThan(before);
    await settle(page);
    await browser.screenshot('07-dashboard');
    await page.emulateMedia({ colorScheme: 'dark' });
    await browser.screenshot('07b-dashboard-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('gives the targets of a weighted combo their weights, and shows each one\'s share', async () => {
    const { page } = browser;
    await goTo(page, 'Combos');
    await page.getByRole('button', { name: 'New combo' }).click();
    const dialog = page.getByRole('dialog', { name: 'New combo' });
    await dialog.getByLabel('Name').fill('spread');
    await dialog.getByText('Weighted', { exact: true }).click();
    const select = dialog.getByTestId('target-select');
    for (const target of ['gemini/gemini-2.5-pro', 'gemini/gemini-2.5-flash']) {
      await select.selectOption(target);
      await dialog.getByRole('button', { name: 'Add', exact: true }).first().click();
    }
    await dialog.getByLabel('Weight of gemini/gemini-2.5-pro').fill('3');
    await expect.poll(() => dialog.locator('.target-share').allTextContents()).toEqual(['75%', '25%']);
    await dialog.getByLabel('Weight of gemini/gemini-2.5-flash').fill('-2');
    await dialog.getByRole('button', { name: 'Save combo' }).click();
    await dialog.getByText('The weight of “gemini/gemini-2.5-flash” must be a number of 0 or more.').waitFor();
    await dialog.getByLabel('Weight of gemini/gemini-2.5-flash').fill('1');
    await browser.screenshot('05b-combo-weights');
    await dialog.getByRole('button', { name: 'Save combo' }).click();
    await dialog.waitFor({ state: 'detached' });

    await expect.poll(() => page.getByTestId('combo-spread').locator('ol li').allTextContents()).toEqual(['gemini/gemini-2.5-pro × 3', 'gemini/gemini-2.5-flash × 1']);
    await settle(page);
    await browser.screenshot('06b-combos-weighted');
    const config = (await settingsDocument()).config as { combos: unknown[] };
    expect(config.combos[1]).toEqual({ name: 'spread', targets: [{ target: 'gemini/gemini-2.5-pro', weight: 3 }, 'gemini/gemini-2.5-flash'], strategy: 'weighted' });
    const plan = await engine.previewRoute({ model: 'spread', format: 'gemini' });
    expect(plan.targets.map((target) => target.model)).toEqual(['gemini-2.5-pro', 'gemini-2.5-flash']);
  });

  it('saves a new port and says a restart is needed; LAN sharing stays off', async () => {
    const { page } = browser;
    await goTo(page, 'Settings');
    const lan = page.getByRole('switch', { name: 'Share on my network' });
    expect(await lan.getAttribute('aria-checked')).toBe('false');
    expect(await page.getByRole('switch', { name: 'Start Switchyard when I log in' }).isDisabled()).toBe(true);
    await page.getByLabel('Port').fill('80');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Pick a whole number from 1024 to 65535.').waitFor();
    await page.getByLabel('Port').fill('18999');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Restart to apply').waitFor();
    await settle(page);
    await browser.screenshot('08-settings');
    const server = ((await settingsDocument()).config as { server: { port: number; host?: string } }).server;
    expect(server.port).toBe(18999);
    expect(server.host ?? '127.0.0.1').toBe('127.0.0.1');
  });

  it('refuses the used sign-in link in a new tab and offers the token form', async () => {
    const second = await browser.context.newPage();
    await second.goto(signInUrl);
    await second.getByRole('heading', { name: 'Open the dashboard' }).waitFor();
    await second.getByText('already used or has expired').waitFor();
    await second.screenshot({ path: join(screenshotDir, '09-sign-in.png'), fullPage: true });
    await second.getByLabel('Or paste the management token').fill('sym-wrong');
    await second.getByRole('button', { name: 'Sign in' }).click();
    await second.getByText('That is not the management token of this Switchyard.').waitFor();
    await second.close();
  });

  it('had no page errors', () => {
    // The refused sign-in and the wrong token above are expected 401s; anything else is a bug.
    const unexpected = browser.problems.filter((problem) => !/401 \(Unauthorized\)/.test(problem));
    expect(unexpected).toEqual([]);
  });
});
