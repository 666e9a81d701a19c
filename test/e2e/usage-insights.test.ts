import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe } from '../../main/core/cli/serve-command.ts';
import type { Engine } from '../../main/core/engine.ts';
import type { FakeUpstream } from '../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../helpers/fake-upstream/fake-upstream.ts';
import type { TestBrowser } from './browser.ts';
import { launchBrowser } from './browser.ts';
import { ensureRendererBuilt, rendererOutput } from './build-renderer.ts';

// The Usage screen's latency chart, the guard's-work chart and the limits table, and the provider card's forecast,
// with real parts: `serve`, fake upstreams on 127.0.0.1 that answer 429 where the test says, the official SDKs, the
// built renderer in headless Chromium. What the screen says must be what the ledger and quota.forecast say.

const fakeKeys = { one: 'sk-fake-e2e-insights-one-0000', two: 'sk-fake-e2e-insights-two-0000', limited: 'sk-fake-e2e-insights-lim-0000' };
let dataDir: string;
let engine: Engine;
let openai: FakeUpstream;
let limited: FakeUpstream;
let anthropic: FakeUpstream;
let browser: TestBrowser;
let signInUrl: string;
let clientKey: string;

beforeAll(async () => {
  await ensureRendererBuilt();
  [openai, limited, anthropic] = await Promise.all([startFakeUpstream('openai'), startFakeUpstream('openai'), startFakeUpstream('anthropic')]);
  let firstOnKeyOne = true;
  openai.setHandler((request) => {
    // The first request on key one is rate-limited: the guard absorbs it on another key.
    if (request.credential === fakeKeys.one && firstOnKeyOne) {
      firstOnKeyOne = false;
      return { kind: 'error', status: 429, message: 'slow down', headers: { 'retry-after': '1' } };
    }
    return { kind: 'text', chunks: 3, usage: { input: 400, output: 90 } };
  });
  // Always rate-limited: in a combo the guard falls back; asked directly, the client gets the 429.
  limited.setHandler(() => ({ kind: 'error', status: 429, message: 'quota', headers: { 'retry-after': '1' } }));
  anthropic.setHandler(() => ({ kind: 'text', chunks: 2, chunkDelayMs: 20, usage: { input: 900, output: 200 } }));
  dataDir = await mkdtemp(join(tmpdir(), 'switchyard-e2e-insights-'));
  const configPath = join(dataDir, 'config.json');
  await writeFile(
    configPath,
    JSON.stringify({
      providers: [
        {
          id: 'oai',
          type: 'openai',
          name: 'Work OpenAI',
          baseUrl: openai.url,
          models: ['gpt-test'],
          limits: { perDay: 8 },
          keys: [{ id: 'key-1', secret: { env: 'KEY_ONE' } }, { id: 'key-2', secret: { env: 'KEY_TWO' } }],
        },
        { id: 'lim', type: 'openai', baseUrl: limited.url, models: ['gpt-test'], retry: { maxAttempts: 2, baseDelayMs: 0 }, keys: [{ id: 'key-1', secret: { env: 'KEY_LIMITED' } }] },
        { id: 'claude', type: 'anthropic', baseUrl: anthropic.url, models: ['claude-sonnet-4-5'], keys: [{ id: 'key-1', secret: { env: 'KEY_ONE' } }] },
      ],
      combos: [{ name: 'resilient', targets: ['lim/gpt-test', 'oai/gpt-test'] }],
    }),
  );
  const banner: string[] = [];
  engine = await startServe(
    { dataDir, config: configPath, host: '127.0.0.1', port: 0, uiDir: rendererOutput, logLevel: 'error' },
    { env: { KEY_ONE: fakeKeys.one, KEY_TWO: fakeKeys.two, KEY_LIMITED: fakeKeys.limited, SWITCHYARD_SECRET_STORE: 'file' }, out: (line) => banner.push(line), err: () => {} },
  );
  const link = banner.find((line) => line.includes('one-time sign-in link'));
  signInUrl = link?.slice(link.indexOf('http')) ?? '';
  clientKey = engine.runtime().clientKeys[0]!;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await engine?.stop(2_000);
  await Promise.all([openai?.close(), limited?.close(), anthropic?.close()]);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function sendRequests(): Promise<void> {
  const gpt = new OpenAI({ baseURL: `${engine.url}/v1`, apiKey: clientKey, maxRetries: 0 });
  const claude = new Anthropic({ baseURL: engine.url, apiKey: clientKey, maxRetries: 0 });
  // Asked directly, the always-limited provider's 429 reaches the client (first, while its key is fresh).
  await expect(gpt.chat.completions.create({ model: 'lim/gpt-test', messages: [{ role: 'user', content: 'hi' }] })).rejects.toThrow();
  for (let index = 0; index < 4; index += 1) await gpt.chat.completions.create({ model: 'oai/gpt-test', messages: [{ role: 'user', content: `question ${index}` }] });
  const stream = await claude.messages.create({ model: 'claude/claude-sonnet-4-5', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'stream' }] });
  for await (const event of stream) void event;
  await claude.messages.create({ model: 'claude/claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'whole' }] });
}

describe('the Usage screen: latency, the guard at work, keys against their limits', () => {
  it('draws the new charts and the table from the ledger and the forecast', async () => {
    await sendRequests();
    const { page } = browser;
    await page.goto(signInUrl);
    await page.getByRole('heading', { level: 1, name: 'Dashboard', exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Usage' }).click();
    await page.getByRole('radio', { name: '1 h' }).check();
    await page.getByTestId('chart-latency').waitFor();

    const now = Date.now();
    const summary = engine.usage!.summary({ from: now - 3_600_000, to: now + 60_000, bucket: 'minute' }).totals;
    const absorbed = summary.rateLimitsRetried + summary.rateLimitsRotated + summary.rateLimitsFellBack;
    expect(summary.rateLimitedReachedClient).toBe(1);
    expect(absorbed).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.getByTestId('chart-guard-total').textContent(), { timeout: 20_000 }).toBe(`${absorbed} absorbed · ${summary.rateLimitedReachedClient} reached a client`);

    const latency = engine.usage!.latency({ from: now - 3_600_000, to: now + 60_000, bucket: 'minute' }).overall;
    expect(latency.ttfbRequests).toBe(7);
    const ms = (value: number | null) => (value === null ? '–' : value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);
    expect(await page.getByTestId('chart-latency-total').textContent()).toBe(`first byte ${ms(latency.ttfbP50Ms)} / ${ms(latency.ttfbP95Ms)} · total ${ms(latency.durationP50Ms)} / ${ms(latency.durationP95Ms)}`);
    await page.locator('[data-testid="chart-latency"] .recharts-line-dots circle').first().waitFor();

    // The limits table: each key of the limited provider beside its daily limit, with the forecast in words.
    const forecast = await fetch(`${engine.url}/api/quota/forecast`, { headers: { authorization: `Bearer ${engine.runtime().managementToken}` } }).then((answer) => answer.json() as Promise<{ credentials: Array<{ keyId: string; provider: string; meters: Array<{ used: number; limit: number; state: string }> }> }>);
    const keyTwo = forecast.credentials.find((credential) => credential.provider === 'oai' && credential.keyId === 'key-2')!;
    expect(keyTwo.meters[0]).toMatchObject({ limit: 8 });
    const row = page.getByTestId('limits-oai/key:key-2');
    await row.waitFor();
    expect(await row.textContent()).toContain(`${keyTwo.meters[0]!.used} of 8 used`);
    expect(await row.getByTestId('limit-forecast').textContent()).toMatch(/^key-2 (reaches its daily limit around \d\d:\d\d|: \d+ of 8 used of its daily limit, not running out at the current rate); frees up from/);
    // Keys without a limit are listed with their use; nothing shows a secret.
    expect(await page.getByTestId('limits-claude/key:key-1').textContent()).toContain('no limit configured');
    const html = await page.content();
    for (const secret of Object.values(fakeKeys)) expect(html).not.toContain(secret);
    await browser.screenshot('usage-insights-01-light');

    await page.emulateMedia({ colorScheme: 'dark' });
    await browser.screenshot('usage-insights-02-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(browser.problems).toEqual([]);
  });

  it('reaches the range radios, the charts and the table from the keyboard', async () => {
    const { page } = browser;
    await page.getByRole('radio', { name: '1 h' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByRole('radio', { name: '24 h' }).isChecked()).toBe(true);
    await page.getByTestId('chart-guard').waitFor();
    expect(await page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Limits and forecast' }) }).count()).toBe(1);
  });

  it("shows the forecast on the provider's card", async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Providers' }).click();
    const limits = page.getByTestId('provider-oai-limits');
    await limits.waitFor();
    expect(await limits.getByTestId('limit-line').count()).toBe(2);
    expect(await limits.textContent()).toContain('daily limit');
    await limits.scrollIntoViewIfNeeded();
    await browser.screenshot('usage-insights-03-provider-card');
    await page.emulateMedia({ colorScheme: 'dark' });
    await browser.screenshot('usage-insights-04-provider-card-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(browser.problems).toEqual([]);
  });
});
