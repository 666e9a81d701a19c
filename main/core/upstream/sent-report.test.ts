import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { UpstreamClient } from './upstream-client.ts';

// The upstream client reports when a request was written to its connection (what pacing is timed from), before
// the answer comes, once per request, and only for requests that ask for it.

let origin: string;
let release: (() => void) | undefined;
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    // The answer waits until the test lets it go: the report must not wait for it.
    release = () => response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    if (request.url !== '/held') release();
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('sent report', () => {
  const client = new UpstreamClient();
  afterAll(() => client.close());

  it('calls requestSent once the request is on the wire, before the answer, exactly once', async () => {
    let sent = 0;
    const answer = client.send(
      { origin, path: '/held', method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(10_000), signal: new AbortController().signal, sentReport: { requestSent: () => (sent += 1) } },
      'test',
    );
    for (let tries = 0; tries < 200 && !release; tries += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(sent).toBe(1);
    release!();
    const response = await answer;
    expect(await response.body.text()).toBe('ok');
    expect(sent).toBe(1);
  });

  it('works with a dispatcher handed in, and costs nothing for requests without a report', async () => {
    const dispatcher = new Agent();
    let sent = 0;
    const withReport = await client.send({ origin, path: '/a', method: 'GET', headers: {}, signal: new AbortController().signal, dispatcher, sentReport: { requestSent: () => (sent += 1) } }, 'test');
    await withReport.body.text();
    const without = await client.send({ origin, path: '/b', method: 'GET', headers: {}, signal: new AbortController().signal, dispatcher }, 'test');
    await without.body.text();
    expect(sent).toBe(1);
    await dispatcher.close();
  });

  it('a request refused at connect never reports going out', async () => {
    let sent = 0;
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(client.send({ origin: `http://127.0.0.1:${port}`, path: '/', method: 'GET', headers: {}, signal: new AbortController().signal, sentReport: { requestSent: () => (sent += 1) } }, 'test')).rejects.toThrow(/could not reach/);
    expect(sent).toBe(0);
  });
});
