import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { Engine } from '../../main/core/engine.ts';
import type { FakeUpstream } from '../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../helpers/fake-upstream/fake-upstream.ts';
import type { TestBrowser } from './browser.ts';
import { launchBrowser } from './browser.ts';
import { ensureRendererBuilt } from './build-renderer.ts';
import { forgetKeychainKeys, startWebServe } from './web-serve.ts';

// A new user's first start, with real parts: `serve` in web mode with a throwaway HOME (Claude Code has run there
// before, so its folder exists), the built renderer in headless Chromium, and a fake Anthropic upstream on 127.0.0.1
// standing in for api.anthropic.com (network.hostOverrides). They paste one key, take a starting combo, let Switchyard
// configure Claude Code and test it, and finish; the test counts every click. Then they undo from Settings → Tools.

const providerKey = 'sk-ant-e2e.fake.key.for.the.wizard.0001';
const originalSettings = '{\n  "theme": "dark",\n  "permissions": { "allow": ["Bash(ls:*)"] }\n}\n';

let dataDir: string;
let home: string;
let engine: Engine;
let upstream: FakeUpstream;
let browser: TestBrowser;
let signInUrl: string;
let clicks = 0;

/** Every click of the walk goes through here, so the path's length is measured, not guessed. */
async function click(target: Locator): Promise<void> {
  clicks += 1;
  await target.click();
}

async function step(page: Page, title: string): Promise<void> {
  await page.getByRole('heading', { level: 2, name: title, exact: true }).waitFor();
}

const claudeSettings = () => join(home, '.claude', 'settings.json');

beforeAll(async () => {
  await ensureRendererBuilt();
  upstream = await startFakeUpstream('anthropic', { keys: [providerKey] });
  dataDir = await mkdtemp(join(tmpdir(), 'switchyard-e2e-wizard-data-'));
  home = await mkdtemp(join(tmpdir(), 'switchyard-e2e-wizard-home-'));
  await mkdir(join(home, '.claude'));
  await writeFile(claudeSettings(), originalSettings);
  // The only thing seeded: where "api.anthropic.com" really is in this test.
  await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ schemaVersion: 1, config: { network: { hostOverrides: { 'api.anthropic.com': upstream.url } } }, preferences: {} }));
  ({ engine, signInUrl } = await startWebServe(dataDir, { HOME: home }));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (dataDir) await forgetKeychainKeys(dataDir);
  await engine?.stop(2_000);
  await upstream?.close();
  for (const folder of [dataDir, home]) if (folder) await rm(folder, { recursive: true, force: true });
});

describe('first-run setup wizard against the real engine', () => {
  it('walks from a fresh install to Claude Code configured and tested, in at most 8 clicks and one paste', async () => {
    const { page } = browser;
    await page.goto(signInUrl);
    await page.getByRole('heading', { level: 1, name: 'Set up Switchyard' }).waitFor();

    // (a) tools: Claude Code was found (its folder exists) and is ticked already.
    await step(page, 'Your tools');
    await expect.poll(() => page.getByRole('checkbox', { name: /Claude Code/ }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: /Codex CLI/ }).isChecked()).toBe(false);
    await browser.screenshot('wizard-1-tools');
    await click(page.getByRole('button', { name: 'Next', exact: true }));

    // (b) provider: one paste; the key's prefix picks Anthropic; it is checked with a real request through Switchyard.
    await step(page, 'Connect a provider');
    // A subscription can be signed in instead of a key (the same dialog as the Providers screen; its own e2e covers it).
    for (const vendor of ['GitHub Copilot', 'ChatGPT']) expect(await page.getByRole('button', { name: new RegExp(`^Sign in with ${vendor}`, 'u') }).isEnabled()).toBe(true);
    await page.getByTestId('wizard-key').fill(providerKey);
    expect(await page.getByRole('radio', { name: 'Anthropic' }).isChecked()).toBe(true);
    await click(page.getByRole('button', { name: 'Connect and test' }));
    await expect.poll(() => page.getByTestId('wizard-provider-result').textContent(), { timeout: 15_000 }).toMatch(/answered in \d+ ms/);
    expect(upstream.requests.filter((request) => request.operation === 'messages')).toHaveLength(1);
    expect(await page.content()).not.toContain(providerKey);
    await browser.screenshot('wizard-2-provider');
    await click(page.getByRole('button', { name: 'Next', exact: true }));

    // Resume: a reload (or a restart) comes back to the same step, from the settings.
    await step(page, 'Starting combo');
    await page.reload();
    await step(page, 'Starting combo');

    // (c) combo: ready-made from what was connected.
    await page.getByRole('radio', { name: /Best first, then cheaper/ }).waitFor();
    await browser.screenshot('wizard-3-combo');
    await click(page.getByRole('button', { name: 'Use this combo' }));

    // (d) configure: the diff first, nothing written yet.
    await step(page, 'Configure your tools');
    const diff = page.getByLabel(`Changes to ${claudeSettings()}`);
    await diff.waitFor();
    expect(await diff.textContent()).toContain('ANTHROPIC_BASE_URL');
    expect(await readFile(claudeSettings(), 'utf8')).toBe(originalSettings);
    await browser.screenshot('wizard-4-configure-diff');
    await click(page.getByRole('button', { name: 'Apply and test' }));
    await expect.poll(() => page.getByTestId('wizard-test-claude-code').textContent(), { timeout: 15_000 }).toMatch(/answered in \d+ ms/);
    const written = JSON.parse(await readFile(claudeSettings(), 'utf8')) as { theme: string; permissions: unknown; env: Record<string, string> };
    expect(written.theme).toBe('dark');
    expect(written.permissions).toEqual({ allow: ['Bash(ls:*)'] });
    expect(written.env.ANTHROPIC_BASE_URL).toBe(engine.url);
    expect(written.env.ANTHROPIC_AUTH_TOKEN).toMatch(/^sy-/);
    expect(await page.content()).not.toContain(written.env.ANTHROPIC_AUTH_TOKEN);
    // The test request came in Claude Code's own format (Anthropic Messages) and reached the provider.
    expect(upstream.requests.filter((request) => request.operation === 'messages')).toHaveLength(2);
    await browser.screenshot('wizard-5-configured-and-tested');
    await click(page.getByRole('button', { name: 'Next', exact: true }));

    // (e) done.
    await step(page, 'Done');
    expect(await page.locator('.wizard-summary').textContent()).toContain('Claude Code sends requests through Switchyard');
    await browser.screenshot('wizard-6-done');
    await click(page.getByRole('button', { name: 'Go to the dashboard' }));
    await page.getByRole('heading', { level: 1, name: 'Dashboard', exact: true }).waitFor();

    expect(clicks).toBeLessThanOrEqual(8);
    expect(browser.problems).toEqual([]);
  });

  it('does not open by itself again, and Settings → Tools undoes the change byte for byte', async () => {
    const { page } = browser;
    await page.goto(signInUrl.replace(/#.*$/, '#/settings'));
    await page.getByRole('heading', { level: 1, name: 'Settings', exact: true }).waitFor();
    const row = page.getByTestId('tool-claude-code');
    await expect.poll(() => row.textContent()).toContain('Uses Switchyard');
    await browser.screenshot('wizard-7-settings-tools');
    await row.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => row.textContent()).toContain('Uses its vendor');
    expect(await readFile(claudeSettings(), 'utf8')).toBe(originalSettings);
    // The tool's key was revoked with the undo.
    const keys = JSON.parse(await readFile(join(dataDir, 'client-keys.json'), 'utf8')) as { keys: unknown[] };
    expect(keys.keys).toEqual([]);
    await expect(stat(join(dataDir, 'client-backups', 'claude-code'))).rejects.toThrow();
    await browser.screenshot('wizard-8-after-undo');
    expect(browser.problems).toEqual([]);
  });
});
