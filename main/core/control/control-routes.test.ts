import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../shared/config/config-schema.ts';
import { startFakeUpstream } from '../../../test/helpers/fake-upstream/fake-upstream.ts';
import type { FakeUpstream } from '../../../test/helpers/fake-upstream/fake-upstream.ts';
import { ControlService } from './control-service.ts';
import { Engine } from '../engine.ts';
import { silentLogger } from '../logging/logger.ts';
import { MemorySecretStore } from '../secrets/secret-store.ts';
import { MemorySettingsStore } from '../settings/settings-store.ts';
import { registerControlRoutes } from './control-routes.ts';

const token = 'sym-routes-test-token-0123456789';
const clientKey = 'sy-routes-test-client-key-0123456789';
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve() {
  const secrets = new MemorySecretStore();
  const engine = await Engine.create({ config: configSchema.parse({}), local: { clientKey, managementToken: token }, env: {}, keychain: secrets, logger: silentLogger() });
  const control = new ControlService({ mode: 'web', version: 'test', settings: new MemorySettingsStore(), secrets, engine: () => engine, clientKeyWhere: 'test' });
  const routes = registerControlRoutes(engine.management, control);
  engine.on('stopping', () => routes.closeStreams());
  const { url } = await engine.start({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => engine.stop(1_000));
  const call = (path: string, init: RequestInit & { json?: unknown } = {}) =>
    fetch(`${url}${path}`, {
      ...init,
      method: init.json === undefined ? (init.method ?? 'GET') : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
  return { engine, control, url, call };
}

async function fakeGemini(keys: string[]): Promise<FakeUpstream> {
  const upstream = await startFakeUpstream('gemini', { keys });
  cleanups.push(() => upstream.close());
  return upstream;
}

describe('the API contract over HTTP', () => {
  it('serves every channel behind the management token', async () => {
    const { url, call } = await serve();
    expect((await fetch(`${url}/api/status`)).status).toBe(401);
    expect((await fetch(`${url}/api/providers/list`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    const status = await call('/api/status');
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ state: 'serving', mode: 'web', url, providers: 0 });
    expect(await (await call('/api/providers/list')).json()).toEqual({ providers: [] });
  });

  it('answers refusals with a status and the contract error body', async () => {
    const { call } = await serve();
    const invalid = await call('/api/providers/add', { json: { id: 'x', type: 'openai', keys: [{ secret: 'two keys here' }] } });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({
      error: {
        code: 'invalid_arguments',
        message: 'providers.add: keys[0].secret: a key has no spaces; paste one key per line',
        issues: [{ path: 'keys[0].secret', message: 'a key has no spaces; paste one key per line' }],
      },
    });
    const missing = await call('/api/keys/update', { json: { providerId: 'nobody', keyId: 'k', enabled: false } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'There is no provider "nobody".' } });
    const wrongMethod = await call('/api/providers/add');
    expect(wrongMethod.status).toBe(405);
  });

  it('trades a one-time sign-in code for the token, once, without the token', async () => {
    const { url, control } = await serve();
    const code = control.webSessions.issue();
    const exchange = () => fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    const first = await exchange();
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(await first.json()).toEqual({ token });
    const second = await exchange();
    expect(second.status).toBe(401);
    expect(((await second.json()) as { error: { message: string } }).error.message).toMatch(/already used or has expired/);
    const garbage = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"code":"x"}' });
    expect(garbage.status).toBe(401);
  });

  it('streams events, and the stream ends as soon as the engine stops', async () => {
    const { engine, call } = await serve();
    const events = await call('/api/events');
    expect(events.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = events.body!.getReader();
    await call('/api/providers/add', { json: { id: 'p', type: 'openai', keys: [{ secret: 'sk-stream-test-key-000000' }] } });
    let text = '';
    const decoder = new TextDecoder();
    const deadline = Date.now() + 5_000;
    while (!text.includes('event: config.changed') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toContain('event: config.changed\ndata: {"at":');
    expect(text).not.toContain('sk-stream-test-key');
    const started = Date.now();
    await engine.stop(5_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    let ended = false;
    for (let reads = 0; reads < 20 && !ended; reads += 1) ended = (await reader.read().catch(() => ({ done: true }))).done;
    expect(ended).toBe(true);
  });

  it('tests a connection with a real request through the engine, and reports a refused key in words', async () => {
    const upstream = await fakeGemini(['AIzaSy-good-key-0000000000001']);
    const { call } = await serve();
    await call('/api/providers/add', { json: { id: 'g', type: 'gemini', baseUrl: upstream.url, models: ['gemini-2.5-flash'], keys: [{ secret: 'AIzaSy-good-key-0000000000001' }] } });
    const good = (await (await call('/api/providers/test', { json: { id: 'g' } })).json()) as { ok: boolean; message: string };
    expect(good).toMatchObject({ ok: true, providerId: 'g', model: 'gemini-2.5-flash', status: 200 });
    expect(upstream.requests.at(-1)).toMatchObject({ operation: 'generateContent', model: 'gemini-2.5-flash', credential: 'AIzaSy-good-key-0000000000001' });

    await call('/api/providers/add', { json: { id: 'h', type: 'gemini', baseUrl: upstream.url, models: ['gemini-2.5-flash'], keys: [{ secret: 'AIzaSy-bad-key-00000000000002' }] } });
    const bad = (await (await call('/api/providers/test', { json: { id: 'h' } })).json()) as { ok: boolean; status: number; message: string };
    expect(bad.ok).toBe(false);
    expect(bad.message).not.toContain('AIzaSy-bad-key');
    const view = (await (await call('/api/providers/list')).json()) as { providers: Array<{ id: string; keys: Array<{ status: string }> }> };
    expect(view.providers.find((provider) => provider.id === 'h')?.keys[0]?.status).toBe('disabled');
    const noModel = (await (await call('/api/providers/test', { json: { id: 'g', model: 'other' } })).json()) as { ok: boolean };
    expect(noModel).toMatchObject({ ok: true, model: 'other' });
  });
});
