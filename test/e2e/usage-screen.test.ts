import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../main/core/engine.ts';
import type { FakeUpstream } from '../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../helpers/fake-upstream/fake-upstream.ts';
import type { TestBrowser } from './browser.ts';
import { launchBrowser } from './browser.ts';
import { ensureRendererBuilt } from './build-renderer.ts';
import { startWebServe } from './web-serve.ts';

// The Usage screen with real parts: `serve` with a config file, fake Anthropic and OpenAI upstreams on 127.0.0.1, the
// official SDKs sending real requests through the engine, and the built renderer in headless Chromium. The numbers on
// the screen must be the ledger's.

const fakeKey = 'sk-fake-e2e-usage-key-0000000000';
let dataDir: string;
let engine: Engine;
let anthropic: FakeUpstream;
let openai: FakeUpstream;
let browser: TestBrowser;
let signInUrl: string;
let clientKey: string;

beforeAll(async () => {
  await ensureRendererBuilt();
  [anthropic, openai] = await Promise.all([startFakeUpstream('anthropic'), startFakeUpstream('openai')]);
  anthropic.setHandler(() => ({ kind: 'text', chunks: 4, usage: { input: 1200, output: 300, cacheRead: 800, cacheWrite: 100 } }));
  openai.setHandler(() => ({ kind: 'text', chunks: 4, usage: { input: 500, output: 120 } }));
  dataDir = await mkdtemp(join(tmpdir(), 'switchyard-e2e-usage-'));
  const configPath = join(dataDir, 'config.json');
  const key = [{ id: 'fake-key-1', secret: { env: 'FAKE_KEY' } }];
  await writeFile(
    configPath,
    JSON.stringify({
      providers: [
        { id: 'claude', type: 'anthropic', baseUrl: anthropic.url, keys: key, models: ['claude-sonnet-4-5'] },
        { id: 'oai', type: 'openai', baseUrl: openai.url, keys: key, models: ['gpt-test'] },
      ],
    }),
  );
  ({ engine, signInUrl } = await startWebServe(dataDir, { FAKE_KEY: fakeKey }, { secretStore: 'file', config: configPath }));
  clientKey = engine.runtime().clientKeys[0]!;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await engine?.stop(2_000);
  await Promise.all([anthropic?.close(), openai?.close()]);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function sendRequests(): Promise<void> {
  const claude = new Anthropic({ baseURL: engine.url, apiKey: clientKey, maxRetries: 0 });
  const gpt = new OpenAI({ baseURL: `${engine.url}/v1`, apiKey: clientKey, maxRetries: 0 });
  for (let index = 0; index < 3; index += 1) await claude.messages.create({ model: 'claude/claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: `question ${index}` }] });
  const stream = await gpt.chat.completions.create({ model: 'oai/gpt-test', stream: true, messages: [{ role: 'user', content: 'hi' }] });
  for await (const chunk of stream) void chunk;
  await expect(claude.messages.create({ model: 'no-such-model', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] })).rejects.toThrow();
}

describe('the Usage screen against the real engine and ledger', () => {
  it('shows an empty, recording ledger before any request', async () => {
    const { page } = browser;
    await page.goto(signInUrl);
    await page.getByRole('heading', { level: 1, name: 'Dashboard', exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Usage' }).click();
    await page.getByRole('heading', { level: 1, name: 'Usage', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'No requests in the last 24 h' }).waitFor();
    expect(await page.getByTestId('ledger-status').textContent()).toBe('recording');
    await browser.screenshot('usage-01-empty');
  });

  it('follows real requests live and shows the same numbers as the ledger', async () => {
    const { page } = browser;
    await sendRequests();
    const now = Date.now();
    const ledger = engine.usage!.summary({ from: now - 86_400_000, to: now + 60_000, bucket: 'hour' }).totals;
    expect(ledger.requests).toBe(5);
    // The open screen asks again every 10 s: the requests appear without a reload.
    await expect.poll(() => page.getByTestId('tile-requests').locator('.usage-tile-value').textContent(), { timeout: 20_000 }).toBe(String(ledger.requests));
    const tokens = ledger.inputTokens + ledger.outputTokens + ledger.cacheReadTokens + ledger.cacheWriteTokens;
    expect(await page.getByTestId('tile-tokens').locator('.usage-tile-value').textContent()).toBe(tokens.toLocaleString('en'));
    expect(await page.getByTestId('chart-requests-total').textContent()).toBe(String(ledger.requests));
    // Anthropic input 1200 (cache excluded) + OpenAI 500, summed over the requests the ledger holds.
    expect(ledger.inputTokens).toBe(3 * 1200 + 500);
    // The shipped price of claude-sonnet-4-5 costs the three Anthropic requests; gpt-test has none.
    expect(await page.getByTestId('tile-cost').locator('.usage-tile-value').textContent()).toBe(`$${ledger.costUsd.toFixed(2)}`);
    expect(await page.getByTestId('tile-cost').textContent()).toContain('1 without a price');
    const rows = page.getByTestId('recent-requests').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(5);
    expect(await rows.first().textContent()).toContain('refused');
    expect(await page.content()).not.toContain(fakeKey);
    await page.locator('.recharts-bar-rectangle').first().waitFor();
    await browser.screenshot('usage-02-with-data');
    expect(browser.problems).toEqual([]);
  });

  it('stacks by model, changes range from the keyboard, and reads in the dark theme', async () => {
    const { page } = browser;
    await page.getByRole('radio', { name: 'By model' }).check();
    await page.getByText('claude-sonnet-4-5').first().waitFor();
    await page.getByRole('radio', { name: '24 h' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByRole('radio', { name: '7 d' }).isChecked()).toBe(true);
    await expect.poll(() => page.getByTestId('tile-requests').locator('.usage-tile-value').textContent()).toBe('5');
    await page.emulateMedia({ colorScheme: 'dark' });
    await browser.screenshot('usage-03-by-model-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(browser.problems).toEqual([]);
  });
});
