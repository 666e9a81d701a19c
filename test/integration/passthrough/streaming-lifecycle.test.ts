import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';

// Streams are relayed live: a client that leaves aborts the upstream call, a slow client slows the upstream down
// (backpressure) instead of making Switchyard buffer, and an upstream that dies mid-stream still ends the client's
// stream with a proper error event.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function engineFor(baseUrl: string, type: 'anthropic' | 'openai' = 'anthropic'): Promise<RunningEngine> {
  const running = await startEngine({ providers: [{ id: 'up', type, baseUrl, keys: [{ id: 'k', secret: { env: 'K' } }] }] }, { env: { K: 'sk-upstream-key-0000000000000000' } });
  cleanups.push(() => running.stop());
  return running;
}

async function fake(kind: 'anthropic' | 'openai'): Promise<FakeUpstream> {
  const upstream = await startFakeUpstream(kind);
  cleanups.push(() => upstream.close());
  return upstream;
}

const waitFor = async (condition: () => boolean, what: string, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('stream lifecycle', () => {
  it('delivers the first chunk before the upstream has finished', async () => {
    const upstream = await fake('anthropic');
    upstream.setHandler(() => ({ kind: 'text', text: 'a slow answer in many pieces', chunks: 10, chunkDelayMs: 100 }));
    const running = await engineFor(upstream.url);
    const response = await fetch(`${running.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': running.clientKey, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'up/m', stream: true, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('message_start');
    expect(upstream.active).toBe(1); // the upstream is still sending
    await reader.cancel();
  });

  // The status and headers leave with the first body bytes when those are ready at once; when the model is still
  // thinking they must leave on their own, or a client waiting for the response headers would wait for the model.
  it.each([
    ['passthrough', 'anthropic', '/v1/messages'],
    ['translated', 'openai', '/v1/messages'],
  ] as const)('sends the status and headers before the upstream has written any body byte (%s)', async (_kind, type, path) => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const server = createServer((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.flushHeaders();
      void released.then(() => response.end(type === 'openai' ? 'data: [DONE]\n\n' : ''));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      release();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    const running = await engineFor(`http://127.0.0.1:${(server.address() as AddressInfo).port}${type === 'openai' ? '/v1' : ''}`, type);
    const timeout = AbortSignal.timeout(5_000);
    const response = await fetch(`${running.url}${path}`, {
      method: 'POST',
      signal: timeout,
      headers: { 'x-api-key': running.clientKey, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'up/m', stream: true, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    release();
    await response.text();
  });

  it('aborts the upstream call when the client disconnects mid-stream', async () => {
    const upstream = await fake('anthropic');
    upstream.setHandler(() => ({ kind: 'text', text: 'x'.repeat(200), chunks: 100, chunkDelayMs: 50 }));
    const running = await engineFor(upstream.url);
    const controller = new AbortController();
    const response = await fetch(`${running.url}/v1/messages`, {
      method: 'POST',
      signal: controller.signal,
      headers: { 'x-api-key': running.clientKey, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'up/m', stream: true, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await waitFor(() => upstream.closedByClient === 1, 'the upstream to see the abort');
    expect(upstream.active).toBe(0);
  });

  it('applies backpressure: a client that stops reading stops the upstream', async () => {
    // An upstream that writes as fast as the socket accepts and records how far it got.
    const total = 64 * 1024 * 1024;
    let written = 0;
    let blocked = false;
    const server = createServer((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = Buffer.from(`event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'y'.repeat(16_000) } })}\n\n`);
      const pump = () => {
        while (written < total) {
          written += chunk.length;
          if (!response.write(chunk)) {
            blocked = true;
            response.once('drain', pump);
            return;
          }
        }
        response.end();
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    const running = await engineFor(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const response = await fetch(`${running.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': running.clientKey, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'up/m', stream: true, max_tokens: 5, messages: [] }),
    });
    const reader = response.body!.getReader();
    await reader.read(); // read one chunk, then stop reading
    await waitFor(() => blocked, 'the upstream to be blocked by backpressure');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Only socket and stream buffers' worth has left the upstream, not the whole 64 MiB.
    expect(written).toBeLessThan(16 * 1024 * 1024);
    await reader.cancel();
  });

  it('ends the client stream with an error event when the upstream dies mid-stream', async () => {
    const upstream = await fake('anthropic');
    upstream.setHandler(() => ({ kind: 'break-mid-stream', afterChunks: 4 }));
    const running = await engineFor(upstream.url);
    const response = await fetch(`${running.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': running.clientKey, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'up/m', stream: true, max_tokens: 5, messages: [] }),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('event: message_start');
    expect(text.trimEnd().split('\n\n').at(-1)).toMatch(/^event: error\ndata: \{"type":"error","error":\{"type":"api_error"/);
    expect(upstream.requests.length).toBe(1); // past the commit point: never retried
  });

  it('ends an OpenAI chat stream with an error chunk the SDK recognises', async () => {
    const upstream = await fake('openai');
    upstream.setHandler(() => ({ kind: 'break-mid-stream', afterChunks: 2 }));
    const running = await engineFor(upstream.url, 'openai');
    const { default: OpenAI } = await import('openai');
    const client = new OpenAI({ apiKey: running.clientKey, baseURL: `${running.url}/v1`, maxRetries: 0 });
    const error = await client.chat.completions
      .stream({ model: 'up/m', messages: [{ role: 'user', content: 'hi' }] })
      .finalChatCompletion()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toMatch(/answer broke off|could not reach|terminated|mid/i);
  });
});
