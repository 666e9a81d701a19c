import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchyardConfigInput } from '../../../shared/config/config-schema.ts';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import type { TestProxy } from '../../helpers/proxies/http-proxy.ts';
import { startHttpProxy } from '../../helpers/proxies/http-proxy.ts';
import { startSocks5Proxy } from '../../helpers/proxies/socks5-proxy.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';

// Upstream traffic through real proxies started on 127.0.0.1: an HTTP proxy (CONNECT tunnels and forwarding) and a
// SOCKS5 proxy, both requiring credentials, chosen per provider, per key, globally or from the environment.

let upstream: FakeUpstream;
let httpProxy: TestProxy;
let socksProxy: TestProxy;
let running: RunningEngine | undefined;

const env = { KEY_A: 'fake-ant-proxy-test-key-aaaaaaaaaaaa', KEY_B: 'fake-ant-proxy-test-key-bbbbbbbbbbbb' };

beforeAll(async () => {
  upstream = await startFakeUpstream('anthropic');
  httpProxy = await startHttpProxy({ username: 'alice', password: 's3cret-proxy-pass' });
  socksProxy = await startSocks5Proxy({ username: 'bob', password: 'another-proxy-pass' });
});

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

afterAll(async () => {
  await upstream?.close();
  await httpProxy?.close();
  await socksProxy?.close();
});

function provider(id: string, extra: Record<string, unknown> = {}) {
  return { id, type: 'anthropic' as const, baseUrl: upstream.url, keys: [{ id: 'a', secret: { env: 'KEY_A' } }], ...extra };
}

async function start(config: SwitchyardConfigInput, extraEnv: Record<string, string> = {}) {
  running = await startEngine(config, { env: { ...env, ...extraEnv } });
  return running;
}

async function ask(model: string, stream = false) {
  const response = await fetch(`${running!.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': running!.clientKey, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model, max_tokens: 50, stream, messages: [{ role: 'user', content: 'hi' }] }),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

const upstreamHost = () => new URL(upstream.url).host;

describe('proxies carry the upstream traffic', () => {
  it('an http proxy set on the provider (with credentials)', async () => {
    await start({ providers: [provider('claude', { proxy: httpProxy.url })] });
    const before = httpProxy.records.length;
    const answer = await ask('claude/claude-x');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).content[0].text).toContain('Hello');
    const used = httpProxy.records.slice(before);
    expect(used.length).toBeGreaterThan(0);
    expect(used.every((record) => record.target === upstreamHost())).toBe(true);
    expect(used[0]!.authorization).toBe(`Basic ${Buffer.from('alice:s3cret-proxy-pass').toString('base64')}`);
    expect(upstream.requests.at(-1)!.credential).toBe(env.KEY_A);
  });

  it('a socks5 proxy set on one key carries that key only, streaming included', async () => {
    await start({
      providers: [
        provider('claude', {
          keys: [{ id: 'socks', secret: { env: 'KEY_B' }, proxy: socksProxy.url }],
          keyStrategy: 'fill-first',
        }),
      ],
    });
    const before = socksProxy.records.length;
    const answer = await ask('claude/claude-x', true);
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('event: message_stop');
    expect(socksProxy.records.slice(before).map((record) => record.target)).toContain(upstreamHost());
    expect(upstream.requests.at(-1)!.credential).toBe(env.KEY_B);
  });

  it('network.proxy applies to every provider; "direct" on a provider bypasses it', async () => {
    await start({ network: { proxy: socksProxy.url }, providers: [provider('proxied'), provider('straight', { proxy: 'direct' })] });
    const before = socksProxy.records.length;
    expect((await ask('proxied/claude-x')).status).toBe(200);
    const afterProxied = socksProxy.records.length;
    expect(afterProxied).toBeGreaterThan(before);
    // Connections are pooled per way out: the direct provider opens none through the proxy.
    expect((await ask('straight/claude-x')).status).toBe(200);
    expect(socksProxy.records.length).toBe(afterProxied);
  });

  it('HTTP_PROXY from the environment, and NO_PROXY exempting the upstream host', async () => {
    await start({ providers: [provider('claude')] }, { HTTP_PROXY: httpProxy.url });
    const before = httpProxy.records.length;
    expect((await ask('claude/claude-x')).status).toBe(200);
    expect(httpProxy.records.length).toBeGreaterThan(before);
    await running!.stop();

    await start({ providers: [provider('claude')] }, { HTTP_PROXY: httpProxy.url, NO_PROXY: 'localhost,127.0.0.1' });
    const beforeExempt = httpProxy.records.length;
    expect((await ask('claude/claude-x')).status).toBe(200);
    expect(httpProxy.records.length).toBe(beforeExempt);
  });

  it('connections through a proxy are reused (keep-alive) rather than opened per request', async () => {
    await start({ providers: [provider('claude', { proxy: socksProxy.url })] });
    const before = socksProxy.records.length;
    for (let index = 0; index < 5; index += 1) expect((await ask('claude/claude-x')).status).toBe(200);
    expect(socksProxy.records.length - before).toBe(1);
  });

  it('wrong proxy credentials give a clear 502 naming the proxy, never its password', async () => {
    const wrong = socksProxy.url.replace('another-proxy-pass', 'not-the-password');
    await start({ providers: [provider('claude', { proxy: wrong })] });
    const answer = await ask('claude/claude-x');
    expect(answer.status).toBe(502);
    expect(answer.text).toMatch(/through proxy socks5:\/\/bob:\*{4}@127\.0\.0\.1/);
    expect(answer.text).not.toContain('not-the-password');

    await running!.stop();
    await start({ providers: [provider('claude', { proxy: httpProxy.url.replace('s3cret-proxy-pass', 'nope') })] });
    const refused = await ask('claude/claude-x');
    expect(refused.status).toBe(502);
    expect(refused.text).toMatch(/through proxy http:\/\/alice:\*{4}@.*Proxy Authentication Required \(407\)/);
  });
});
