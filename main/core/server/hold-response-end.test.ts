import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HeldEnd } from './hold-response-end.ts';
import { holdResponseEnd } from './hold-response-end.ts';

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** A real server whose answer's end is held; `released` resolves with the held end once the handler has run. */
async function serverHolding(endInSameTurn = false): Promise<{ url: string; held: Promise<HeldEnd> }> {
  let hand: (held: HeldEnd) => void = () => undefined;
  const held = new Promise<HeldEnd>((resolve) => (hand = resolve));
  const server = createServer((_request, response) => {
    const end = holdResponseEnd(response);
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write('first part, ');
    const finish = () => {
      response.end('last part');
      hand(end);
    };
    if (endInSameTurn) finish();
    else setImmediate(finish);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, held };
}

describe('holdResponseEnd', () => {
  it('the client sees the body up to the end, and the answer completes only once released', async () => {
    const { url, held } = await serverHolding();
    const response = await fetch(url);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString()).toBe('first part, ');
    let complete = false;
    const rest = (async () => {
      let text = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString();
      }
      complete = true;
      return text;
    })();
    const end = await held;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(complete).toBe(false);
    end.release();
    end.release(); // idempotent
    expect(await rest).toBe('last part');
    expect(complete).toBe(true);
  });

  it('bytes written in the same turn as the held end wait with it and leave together at release', async () => {
    const { url, held } = await serverHolding(true);
    let answered = false;
    const answer = fetch(url).then(async (response) => {
      answered = true;
      return response.text();
    });
    const end = await held;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false); // status, headers and the last events all wait with the end: one write at release
    end.release();
    const received = await answer;
    expect(received).toBe('first part, last part');
  });
});
