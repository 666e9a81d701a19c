import { createServer } from 'node:net';
import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../test/helpers/manual-clock.ts';
import type { LoopbackListener } from './loopback-listener.ts';
import { codeFromRedirectUrl, openLoopbackListener } from './loopback-listener.ts';

const opened: LoopbackListener[] = [];
const blockers: Server[] = [];

afterEach(async () => {
  for (const listener of opened.splice(0)) listener.cancel();
  await Promise.all(blockers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function busyPort(): Promise<number> {
  const server = createServer();
  blockers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function open(ports: number[], clock = new ManualClock()) {
  const listener = await openLoopbackListener({ ports, path: '/auth/callback', state: 'the-state', timeoutMs: 600_000, redirectHost: 'localhost', clock });
  if (listener) opened.push(listener);
  return listener;
}

describe('the loopback callback listener', () => {
  it('binds 127.0.0.1 only and takes the code from a callback with the right state', async () => {
    const listener = (await open([0]))!;
    expect(listener.redirectUri).toBe(`http://localhost:${listener.port}/auth/callback`);
    const answer = await fetch(`http://127.0.0.1:${listener.port}/auth/callback?code=the-code&state=the-state`);
    expect(answer.status).toBe(200);
    await expect(listener.code).resolves.toBe('the-code');
    // Closed after the flow.
    await expect(fetch(`http://127.0.0.1:${listener.port}/auth/callback`)).rejects.toThrow();
  });

  it('refuses a wrong state and keeps waiting for the right one', async () => {
    const listener = (await open([0]))!;
    const forged = await fetch(`http://127.0.0.1:${listener.port}/auth/callback?code=evil&state=other`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('does not match');
    await fetch(`http://127.0.0.1:${listener.port}/auth/callback?code=good&state=the-state`);
    await expect(listener.code).resolves.toBe('good');
  });

  it('takes the next port when the first is busy, and gives up when all are', async () => {
    const busy = await busyPort();
    const listener = (await open([busy, 0]))!;
    expect(listener.port).not.toBe(busy);
    const alsoBusy = await busyPort();
    expect(await open([busy, alsoBusy])).toBeUndefined();
  });

  it('a browser that reports an error or denial ends the flow; nothing to store', async () => {
    const listener = (await open([0]))!;
    await fetch(`http://127.0.0.1:${listener.port}/auth/callback?error=access_denied&state=the-state`);
    await expect(listener.code).rejects.toMatchObject({ failure: 'denied' });
  });

  it('expires after its timeout and closes', async () => {
    const clock = new ManualClock();
    const listener = (await open([0], clock))!;
    await clock.advance(600_000);
    await expect(listener.code).rejects.toMatchObject({ failure: 'expired', message: expect.stringContaining('10 minutes') });
    await expect(fetch(`http://127.0.0.1:${listener.port}/auth/callback`)).rejects.toThrow();
  });

  it('a cancel ends the flow', async () => {
    const listener = (await open([0]))!;
    listener.cancel();
    await expect(listener.code).rejects.toMatchObject({ failure: 'cancelled' });
  });
});

describe('the paste-the-redirect-URL fallback', () => {
  it('reads the code from a pasted address with the right state', () => {
    expect(codeFromRedirectUrl(' http://localhost:1455/auth/callback?code=abc&state=s1 ', 's1')).toBe('abc');
  });
  it('refuses an address of another sign-in, a denial, and text that is not an address', () => {
    expect(() => codeFromRedirectUrl('http://localhost:1455/auth/callback?code=abc&state=s2', 's1')).toThrow(/another sign-in/);
    expect(() => codeFromRedirectUrl('http://localhost:1455/auth/callback?error=access_denied&state=s1', 's1')).toThrow(/not completed/);
    expect(() => codeFromRedirectUrl('abc', 's1')).toThrow(/not a URL/);
  });
});
