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

// The request log screen with real parts: `serve` with a config file, fake OpenAI and Anthropic upstreams on
// 127.0.0.1, the official SDKs sending requests through the engine, and the built renderer in headless Chromium.
// The person turns the log on for the next 2 requests to one provider, sends traffic, reads an entry side by side.

const fakeKey = 'fake-e2e-request-log-key-not-real-000000';
let dataDir: string;
let engine: Engine;
let openai: FakeUpstream;
let anthropic: FakeUpstream;
let browser: TestBrowser;
let signInUrl: string;
let clientKey: string;

beforeAll(async () => {
  await ensureRendererBuilt();
  [openai, anthropic] = await Promise.all([startFakeUpstream('openai'), startFakeUpstream('anthropic')]);
  openai.setHandler(() => ({ kind: 'text', text: 'The answer, in three pieces.', chunks: 3 }));
  dataDir = await mkdtemp(join(tmpdir(), 'switchyard-e2e-request-log-'));
  const configPath = join(dataDir, 'config.json');
  const key = [{ id: 'fake-key-1', secret: { env: 'FAKE_KEY' } }];
  await writeFile(
    configPath,
    JSON.stringify({
      providers: [
        { id: 'oai', type: 'openai', baseUrl: openai.url, keys: key, models: ['gpt-test'] },
        { id: 'claude', type: 'anthropic', baseUrl: anthropic.url, keys: key, models: ['claude-sonnet-4-5'] },
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
  await Promise.all([openai?.close(), anthropic?.close()]);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the request log screen against the real engine', () => {
  it('is off by default and says so', async () => {
    const { page } = browser;
    await page.goto(signInUrl);
    await page.getByRole('heading', { level: 1, name: 'Dashboard', exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Request log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Request log', exact: true }).waitFor();
    expect(await page.getByTestId('request-log-state').textContent()).toBe('Off');
    await page.getByText('The request log is off').waitFor();
    await page.getByRole('heading', { name: 'No entries' }).waitFor();
    await browser.screenshot('request-log-01-off');
  });

  it('logs the next 2 requests to one provider and shows an entry side by side, with no secret on the page', async () => {
    const { page } = browser;
    await page.getByLabel('Requests to log').fill('2');
    await page.getByLabel('Provider').selectOption('oai');
    await page.getByRole('button', { name: 'Log the next 2 requests' }).click();
    await expect.poll(() => page.getByTestId('request-log-state').textContent()).toBe('Logging: on for the next 2 requests to oai');

    const claude = new Anthropic({ baseURL: engine.url, apiKey: clientKey, maxRetries: 0 });
    const gpt = new OpenAI({ baseURL: `${engine.url}/v1`, apiKey: clientKey, maxRetries: 0 });
    await claude.messages.create({ model: 'claude/claude-sonnet-4-5', max_tokens: 20, messages: [{ role: 'user', content: 'not logged: another provider' }] });
    await gpt.chat.completions.create({ model: 'oai/gpt-test', messages: [{ role: 'user', content: 'a whole answer please' }] });
    const stream = await claude.messages.create({ model: 'oai/gpt-test', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'stream it, translated' }] });
    for await (const event of stream) void event;

    const rows = page.getByTestId('request-log-entries').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => page.getByTestId('request-log-state').textContent()).toBe('Off');
    // The newest entry (the translated stream) is shown: each part in its place.
    const detail = page.getByTestId('request-log-detail');
    await detail.getByText('Client ⇄ Switchyard (anthropic)').waitFor();
    expect(await page.getByTestId('part-client-request').textContent()).toContain('POST /v1/messages');
    expect(await page.getByTestId('part-client-request').textContent()).toContain('stream it, translated');
    expect(await page.getByTestId('part-upstream-request').textContent()).toContain(`POST ${openai.url}/chat/completions`);
    expect(await page.getByTestId('part-upstream-answer').getByRole('list').locator('li').count()).toBeGreaterThan(3);
    expect(await page.getByTestId('part-client-answer').textContent()).toContain('event: message_stop');
    await page.getByTestId('part-upstream-request').getByText('headers').click();
    expect(await page.getByTestId('part-upstream-request').textContent()).toContain(`Bearer ****${fakeKey.slice(-4)}`);
    const content = await page.content();
    expect(content).not.toContain(fakeKey);
    expect(content).not.toContain(clientKey);
    await browser.screenshot('request-log-02-entry');

    // The older entry, picked from the keyboard: the whole answer, pretty-printed.
    await rows.nth(1).getByRole('button').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('part-client-request').textContent()).toContain('POST /v1/chat/completions');
    expect(await page.getByTestId('part-client-answer').textContent()).toContain('"content": "The answer, in three pieces."');
    await page.emulateMedia({ colorScheme: 'dark' });
    await browser.screenshot('request-log-03-whole-answer-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(browser.problems).toEqual([]);
  });

  it('clears the log', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Clear the log' }).click();
    await page.getByRole('heading', { name: 'No entries' }).waitFor();
    expect(await page.getByTestId('request-log-storage').textContent()).toContain('0 of 200 entries');
    await browser.screenshot('request-log-04-cleared');
    expect(browser.problems).toEqual([]);
  });
});
