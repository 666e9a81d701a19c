import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../shared/config/config-schema.ts';
import { Engine } from '../../main/core/engine.ts';
import { createLogger } from '../../main/core/logging/logger.ts';
import { EngineHost } from '../../main/app/lifecycle/engine-host.ts';
import type { FakeUpstream } from '../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../helpers/fake-upstream/fake-upstream.ts';

// The app's lifecycle around REAL engines: pause gives requests in flight their grace period, resume binds the same
// port again (a fresh engine each time), and a port still held by someone else is waited for, then reported.

const clientKey = 'sy-app-test-client-key-0123456789';
const providerKey = 'fake-ant-app-test-provider-key-000000';
let upstream: FakeUpstream;
const hosts: EngineHost<Engine>[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function hostOn(port: number, options: { graceMs?: number; bindAttempts?: number; bindRetryDelayMs?: number } = {}): EngineHost<Engine> {
  const config = configSchema.parse({
    server: { port },
    providers: [{ id: 'claude', type: 'anthropic', baseUrl: upstream.url, keys: [{ id: 'k1', secret: { env: 'KEY' } }] }],
  });
  const host = new EngineHost<Engine>({
    createEngine: () => Engine.create({ config, local: { clientKey, managementToken: 'sym-app-test-token-0123456789' }, env: { KEY: providerKey }, logger: createLogger({ level: 'error', sink: () => {} }) }),
    graceMs: options.graceMs ?? 5_000,
    bindAttempts: options.bindAttempts ?? 40,
    bindRetryDelayMs: options.bindRetryDelayMs ?? 50,
  });
  hosts.push(host);
  return host;
}

async function ask(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': clientKey, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'claude/claude-sonnet-4-5', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
  });
  return { status: response.status, text: await response.text() };
}

async function refusesConnections(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/v1/models`, { signal: AbortSignal.timeout(2_000) });
    return false;
  } catch (error) {
    return ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code === 'ECONNREFUSED';
  }
}

beforeAll(async () => {
  upstream = await startFakeUpstream('anthropic', { keys: [providerKey] });
});

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.shutdown(0)));
  upstream.setHandler(() => ({ kind: 'text' }));
});

afterAll(async () => {
  await upstream.close();
});

describe('EngineHost with real engines', () => {
  it('pauses after the request in flight has finished, refuses connections while paused, and resumes on the same URL', async () => {
    const port = await freePort();
    const host = hostOn(port);
    await host.start();
    expect(host.status).toEqual({ state: 'serving', url: `http://127.0.0.1:${port}` });
    const url = `http://127.0.0.1:${port}`;

    upstream.setHandler(() => ({ kind: 'text', text: 'slow answer in four parts', chunks: 4, chunkDelayMs: 150 }));
    const inFlight = ask(url);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await host.pause();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('message_stop');
    expect(host.status).toEqual({ state: 'paused' });
    expect(await refusesConnections(url)).toBe(true);

    upstream.setHandler(() => ({ kind: 'text', text: 'back', chunks: 1 }));
    const sentBefore = upstream.requests.length;
    await host.start();
    expect(host.status).toEqual({ state: 'serving', url });
    const again = await ask(url);
    expect(again.status).toBe(200);
    expect(again.text).toContain('"back"');
    // The resumed engine has a working upstream pool of its own (a stopped engine has closed its pool).
    expect(upstream.requests.length).toBe(sentBefore + 1);
  });

  it('ends serving after a burst of pause/resume clicks, with no port clash', async () => {
    const port = await freePort();
    const host = hostOn(port, { bindAttempts: 1 });
    await host.start();
    const clicks: Promise<void>[] = [];
    for (let index = 0; index < 6; index += 1) clicks.push(index % 2 === 0 ? host.pause() : host.start());
    await Promise.all(clicks);
    expect(host.status).toEqual({ state: 'serving', url: `http://127.0.0.1:${port}` });
    expect((await ask(`http://127.0.0.1:${port}`)).status).toBe(200);
  });

  it('cuts a request that outlasts the grace period', async () => {
    const port = await freePort();
    const host = hostOn(port, { graceMs: 300 });
    await host.start();
    upstream.setHandler(() => ({ kind: 'text', text: 'a very long and slow answer', chunks: 20, chunkDelayMs: 200 }));
    const inFlight = ask(`http://127.0.0.1:${port}`).then(
      (answer) => answer.text,
      (error: Error) => `failed: ${error.message}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await host.pause();
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await inFlight).not.toContain('message_stop');
  });

  describe('when another process holds the port', () => {
    let blocker: Server | undefined;
    afterEach(async () => {
      if (blocker?.listening) await new Promise((resolve) => blocker!.close(resolve));
    });

    async function block(port: number): Promise<Server> {
      blocker = createServer();
      await new Promise<void>((resolve) => blocker!.listen(port, '127.0.0.1', resolve));
      return blocker;
    }

    it('waits for it to be released (a previous instance shutting down), then serves', async () => {
      const port = await freePort();
      const held = await block(port);
      const host = hostOn(port, { bindAttempts: 60, bindRetryDelayMs: 50 });
      const starting = host.start();
      setTimeout(() => held.close(), 300);
      await starting;
      expect(host.status).toEqual({ state: 'serving', url: `http://127.0.0.1:${port}` });
    });

    it('reports the port when it is never released, and serves after "try again"', async () => {
      const port = await freePort();
      const held = await block(port);
      const host = hostOn(port, { bindAttempts: 3, bindRetryDelayMs: 20 });
      await host.start();
      expect(host.status).toEqual({ state: 'failed', message: `Port ${port} is already in use. Is \`switchyard serve\` or another copy running? Stop it, or pick another port in Settings.` });
      await new Promise((resolve) => held.close(resolve));
      await host.start();
      expect(host.status.state).toBe('serving');
    });
  });
});
