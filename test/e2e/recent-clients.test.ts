import Anthropic from '@anthropic-ai/sdk';
import { request as httpRequest } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NamedClientKeys } from '../../main/core/config/named-client-keys.ts';
import type { Engine } from '../../main/core/engine.ts';
import type { FakeUpstream } from '../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../helpers/fake-upstream/fake-upstream.ts';
import type { TestBrowser } from './browser.ts';
import { launchBrowser } from './browser.ts';
import { ensureRendererBuilt } from './build-renderer.ts';
import { startWebServe } from './web-serve.ts';

// Settings > Who connected recently, with real parts: `serve` with server.allowedClients, the official Anthropic SDK
// calling through it with the client key and with a named per-tool key, a wrong key, a machine not on the list
// (127.0.0.2: the whole 127.0.0.0/8 reaches this computer), and the built renderer in headless Chromium.

const fakeKey = 'sk-fake-e2e-recent-clients-000000';
let dataDir: string;
let engine: Engine;
let upstream: FakeUpstream;
let browser: TestBrowser;
let signInUrl: string;
let clientKey: string;
let codexKey: string;

beforeAll(async () => {
  await ensureRendererBuilt();
  upstream = await startFakeUpstream('anthropic');
  dataDir = await mkdtemp(join(tmpdir(), 'switchyard-e2e-recent-'));
  const configPath = join(dataDir, 'config.json');
  await writeFile(
    configPath,
    JSON.stringify({
      // Shared on the network as a person would set it; the test binds to 127.0.0.1 all the same (--host).
      server: { host: '0.0.0.0', allowedClients: ['127.0.0.1', '192.0.2.0/24'] },
      providers: [{ id: 'claude', type: 'anthropic', baseUrl: upstream.url, keys: [{ id: 'fake-key-1', secret: { env: 'FAKE_KEY' } }], models: ['claude-sonnet-4-5'] }],
    }),
  );
  ({ engine, signInUrl } = await startWebServe(dataDir, { FAKE_KEY: fakeKey }, { secretStore: 'file', config: configPath }));
  clientKey = engine.runtime().clientKeys[0]!;
  // A per-tool key, as `switchyard clients` makes one: the engine picks it up on the next request.
  codexKey = (await new NamedClientKeys(dataDir).create('codex')).secret;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await engine?.stop(2_000);
  await upstream?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A connection from 127.0.0.2, which server.allowedClients does not list: closed before any answer. */
function connectFromElsewhere(): Promise<string> {
  return new Promise((resolve) => {
    const request = httpRequest(`${engine.url}/v1/models`, { localAddress: '127.0.0.2', headers: { 'x-api-key': clientKey }, timeout: 5_000 }, (response) => {
      response.resume();
      resolve(String(response.statusCode));
    });
    request.on('error', () => resolve('refused'));
    request.on('timeout', () => request.destroy());
    request.end();
  });
}

describe('Settings shows who connected recently', () => {
  it('lists each address with the key it used (by name), its requests and what was refused', async () => {
    const claude = new Anthropic({ baseURL: engine.url, apiKey: clientKey, maxRetries: 0 });
    for (let index = 0; index < 2; index += 1) await claude.messages.create({ model: 'claude/claude-sonnet-4-5', max_tokens: 20, messages: [{ role: 'user', content: `hello ${index}` }] });
    const codex = new Anthropic({ baseURL: engine.url, apiKey: codexKey, maxRetries: 0 });
    await codex.messages.create({ model: 'claude/claude-sonnet-4-5', max_tokens: 20, messages: [{ role: 'user', content: 'from codex' }] });
    const wrong = new Anthropic({ baseURL: engine.url, apiKey: 'sy-wrong-key-fake-000000000000', maxRetries: 0 });
    await expect(wrong.messages.create({ model: 'claude/claude-sonnet-4-5', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] })).rejects.toThrow(/401/);
    expect(await connectFromElsewhere()).toBe('refused');

    const { page } = browser;
    await page.goto(signInUrl);
    await page.getByRole('heading', { level: 1, name: 'Dashboard', exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings', exact: true }).waitFor();
    const card = page.getByRole('region', { name: 'Who connected recently' });
    const local = card.getByRole('row', { name: /^127\.0\.0\.1\b/ });
    await local.waitFor();
    const localText = (await local.textContent()) ?? '';
    expect(localText).toContain('client key');
    expect(localText).toContain('codex');
    expect(localText).toContain('1 wrong key');
    const elsewhere = card.getByRole('row', { name: /^127\.0\.0\.2\b/ });
    expect(await elsewhere.textContent()).toContain('1 not on the allowed list');
    expect(await elsewhere.textContent()).toContain('no valid key');
    expect(await card.textContent()).toContain('127.0.0.1, 192.0.2.0/24');
    const html = await page.content();
    for (const secret of [clientKey, codexKey, fakeKey]) expect(html).not.toContain(secret);
    await card.scrollIntoViewIfNeeded();
    await browser.screenshot('settings-recent-clients');
    expect(browser.problems).toEqual([]);
  });

  it('follows new requests without a reload (refreshed with the live snapshot)', async () => {
    const { page } = browser;
    const row = page.getByRole('region', { name: 'Who connected recently' }).getByRole('row', { name: /^127\.0\.0\.1\b/ });
    const requestsBefore = Number(await row.locator('td').nth(3).textContent());
    const claude = new Anthropic({ baseURL: engine.url, apiKey: clientKey, maxRetries: 0 });
    await claude.messages.create({ model: 'claude/claude-sonnet-4-5', max_tokens: 20, messages: [{ role: 'user', content: 'again' }] });
    await expect.poll(async () => Number(await row.locator('td').nth(3).textContent()), { timeout: 15_000 }).toBeGreaterThan(requestsBefore);
    await page.emulateMedia({ colorScheme: 'dark' });
    await browser.screenshot('settings-recent-clients-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
