import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { clientAllowlist } from './client-allowlist.ts';
import { limitConnections } from './connection-limits.ts';

let server: Server | undefined;
const opened: Socket[] = [];

afterEach(async () => {
  for (const socket of opened.splice(0)) socket.destroy();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function start(limits: { allowed?: string[]; max?: number; headersMs?: number; answerAfterMs?: number }) {
  server = createServer((_request, response) => {
    if (limits.answerAfterMs === undefined) response.end('ok');
    else setTimeout(() => response.end('ok'), limits.answerAfterMs);
  });
  const counter = limitConnections(server, {
    allowlist: () => clientAllowlist(limits.allowed ?? []),
    maxConnections: () => limits.max ?? 100,
    headersTimeoutMs: () => limits.headersMs ?? 60_000,
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return { port: address.port, counter };
}

/** Connects, optionally sends bytes, and resolves with everything received once the server closes (bounded). */
function talk(port: number, send?: string): Promise<{ received: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    opened.push(socket);
    let received = '';
    const timer = setTimeout(() => resolve({ received, closed: false }), 5_000);
    socket.on('connect', () => {
      if (send !== undefined) socket.write(send);
    });
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ received, closed: true });
    });
  });
}

const getRequest = 'GET / HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n';

describe('connection limits at the socket', () => {
  it('closes peers outside server.allowedClients before reading anything', async () => {
    const { port } = await start({ allowed: ['10.1.2.3'] });
    const answer = await talk(port, getRequest);
    expect(answer).toEqual({ received: '', closed: true });
  });

  it('serves peers inside server.allowedClients', async () => {
    const { port } = await start({ allowed: ['127.0.0.0/8'] });
    const answer = await talk(port, getRequest);
    expect(answer.received).toMatch(/^HTTP\/1\.1 200 OK/u);
  });

  it('answers 503 past server.maxConnections and serves again once one closes', async () => {
    const { port, counter } = await start({ max: 2 });
    const holders = [connect(port, '127.0.0.1'), connect(port, '127.0.0.1')];
    opened.push(...holders);
    await Promise.all(holders.map((socket) => new Promise((resolve) => socket.once('connect', resolve))));
    for (let tries = 0; counter.open() < 2 && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
    const refused = await talk(port, getRequest);
    expect(refused.received).toMatch(/^HTTP\/1\.1 503 Service Unavailable/u);
    expect(refused.received).toContain('server.maxConnections');
    holders[0]?.destroy();
    for (let tries = 0; counter.open() > 1 && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await talk(port, getRequest)).received).toMatch(/^HTTP\/1\.1 200 OK/u);
  });

  it('closes a connection that never sends its headers, counted from the connect', async () => {
    const { port, counter } = await start({ headersMs: 200 });
    const silent = await talk(port);
    expect(silent.closed).toBe(true);
    const partial = await talk(port, 'GET / HTTP/1.1\r\nhost: 127.0');
    expect(partial.closed).toBe(true);
    for (let tries = 0; counter.open() > 0 && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(counter.open()).toBe(0);
  });

  it('leaves a connection alone once its request arrived, however long the answer takes', async () => {
    const { port } = await start({ headersMs: 200, answerAfterMs: 600 });
    const answer = await talk(port, getRequest);
    expect(answer.received).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*ok$/u);
  });
});

describe('half-closed clients', () => {
  it('get their answer when they half-close after sending the request', async () => {
    const { port } = await start({ answerAfterMs: 300 });
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.end('GET / HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n'));
      opened.push(socket);
      let received = '';
      const timer = setTimeout(() => resolve(`timed out after: ${received}`), 5_000);
      socket.on('data', (chunk) => (received += chunk.toString('utf8')));
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(received);
      });
    });
    expect(answer).toMatch(/^HTTP\/1\.1 102 Processing\r\n\r\nHTTP\/1\.1 200 OK[\s\S]*ok$/u);
  });

  it('still see their request cancelled when they went away for good', async () => {
    let closedEarly: Promise<boolean> = Promise.resolve(false);
    server = createServer((_request, response) => {
      closedEarly = new Promise((resolve) => {
        const late = setTimeout(() => {
          resolve(false);
          response.end('too late');
        }, 4_000);
        response.once('close', () => {
          clearTimeout(late);
          resolve(!response.writableFinished);
        });
      });
    });
    limitConnections(server, { allowlist: () => clientAllowlist([]), maxConnections: () => 10, headersTimeoutMs: () => 60_000 });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('no port');
    const socket = connect(address.port, '127.0.0.1', () => socket.write(getRequest.replace('connection: close\r\n', '')));
    socket.on('error', () => {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    expect(await new Promise((resolve) => setTimeout(() => resolve(closedEarly), 50)).then(() => closedEarly)).toBe(true);
  });
});
