import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProxyError } from '../errors/proxy-error.ts';
import { UpstreamClient } from './upstream-client.ts';

// The three upstream timeouts against a real server that is slow in each way; each gives its own clear message.

let origin: string;
const server = createServer((request, response) => {
  if (request.url === '/slow-headers') return void setTimeout(() => response.end('late'), 2_000);
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.write('first');
  if (request.url === '/stalls') return; // never finishes
  response.end();
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('upstream timeouts', () => {
  const client = new UpstreamClient();
  afterAll(() => client.close());
  const send = (path: string, timeouts: Record<string, number>) =>
    client.send({ origin, path, method: 'GET', headers: {}, signal: new AbortController().signal, timeouts }, 'slowpoke');

  it('first byte', async () => {
    const error = await failure(send('/slow-headers', { firstByteMs: 100 }));
    expect(isProxyError(error) && error.code).toBe('timeout');
    expect((error as Error).message).toBe('slowpoke: the provider did not answer within 100 ms (first-byte timeout)');
  });

  it('idle mid-body', async () => {
    const answer = await send('/stalls', { idleMs: 100 });
    const error = await failure(answer.body.text());
    // The body error is raw undici; the relay classifies it with networkError, as here.
    const { networkError } = await import('./upstream-client.ts');
    const classified = networkError(error, 'slowpoke', undefined, undefined, { connectMs: 1, firstByteMs: 1, idleMs: 100 });
    expect(classified.message).toBe('slowpoke: the provider went silent mid-response for 100 ms (idle timeout)');
  });

  it('connect: a TLS handshake that never completes (a TCP server that accepts and stays silent)', async () => {
    const sockets: Socket[] = [];
    const silent = createNetServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const error = await failure(
        client.send({ origin: `https://127.0.0.1:${port}`, path: '/', method: 'GET', headers: {}, signal: new AbortController().signal, timeouts: { connectMs: 150 } }, 'far'),
      );
      expect(isProxyError(error) && error.scope).toBe('provider');
      expect((error as Error).message).toBe('far: connecting to the provider timed out after 150 ms (connect timeout)');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('pools per way out: direct, and each proxy separately', async () => {
    await send('/', {}).then((answer) => answer.body.text());
    expect(client.pools).toContain('direct');
  });
});
