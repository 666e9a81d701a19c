import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';

// A refused request must stop costing: after the 401/404/413 the server reads no more of its body and closes the
// connection, so one client cannot push gigabytes through the parser. (Bounded: 5 s and 256 MiB per case at most.)

let running: RunningEngine;
beforeAll(async () => {
  running = await startEngine({ server: { maxBodyBytes: 64 * 1024 } });
});
afterAll(() => running?.stop());

interface Pushed {
  answer: string;
  pushedBytes: number;
  closed: boolean;
}

/** Sends the head, then pushes an endless chunked body as fast as the server takes it. */
function pushEndlessBody(head: string): Promise<Pushed> {
  const { port } = new URL(running.url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const framed = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    let answer = '';
    let pushedBytes = 0;
    let finished = false;
    const finish = (closed: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(bound);
      socket.destroy();
      resolve({ answer, pushedBytes, closed });
    };
    const bound = setTimeout(() => finish(false), 5_000);
    const push = () => {
      while (!finished && pushedBytes < 256 * 1024 * 1024) {
        pushedBytes += framed.length;
        if (!socket.write(framed)) {
          socket.once('drain', push);
          return;
        }
      }
    };
    socket.on('connect', () => {
      socket.write(head);
      push();
    });
    socket.on('data', (data) => (answer += data.toString('latin1')));
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
  });
}

describe('refused requests stop reading and close', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['no client key (401)', 'POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n', /^HTTP\/1\.1 401 /u],
    ['unknown route (404)', 'POST /v2/nowhere HTTP/1.1\r\nhost: 127.0.0.1\r\ntransfer-encoding: chunked\r\n\r\n', /^HTTP\/1\.1 404 /u],
    ['management API without token (401)', 'POST /api/combos/activate HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n', /^HTTP\/1\.1 401 /u],
  ];

  it.each(cases)('%s', async (_name, head, status) => {
    const pushed = await pushEndlessBody(head);
    expect(pushed.answer).toMatch(status);
    expect(pushed.answer.toLowerCase()).toContain('connection: close');
    expect(pushed.closed).toBe(true);
    // What fits in the socket buffers on both sides before the server stopped reading; draining took gigabytes.
    expect(pushed.pushedBytes).toBeLessThan(64 * 1024 * 1024);
  });

  it('too large a body (413) with a valid key', async () => {
    const pushed = await pushEndlessBody(
      `POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\nx-api-key: ${running.clientKey}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`,
    );
    expect(pushed.answer).toMatch(/^HTTP\/1\.1 413 /u);
    expect(pushed.closed).toBe(true);
    expect(pushed.pushedBytes).toBeLessThan(64 * 1024 * 1024);
  });

  it('keeps a connection whose refused request had no body, for the next request', async () => {
    const { port } = new URL(running.url);
    const answers = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('GET /v2/nowhere HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\nGET /health HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n');
      });
      let text = '';
      const bound = setTimeout(() => socket.destroy(), 5_000);
      socket.on('data', (data) => (text += data.toString('latin1')));
      socket.on('close', () => {
        clearTimeout(bound);
        resolve(text);
      });
    });
    expect(answers).toMatch(/^HTTP\/1\.1 404 [\s\S]*HTTP\/1\.1 200 [\s\S]*"status":"ok"/u);
  });
});

describe('the management API takes JSON only', () => {
  it('refuses text/plain and form bodies with 415, and takes JSON', async () => {
    const post = (contentType: string | undefined) =>
      fetch(`${running.url}/api/routing/resolve`, {
        method: 'POST',
        headers: { authorization: `Bearer ${running.managementToken}`, ...(contentType ? { 'content-type': contentType } : {}) },
        body: JSON.stringify({ model: 'nowhere/model' }),
      });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const refused = await post(type);
      expect(refused.status, type).toBe(415);
      expect(((await refused.json()) as { error: { code: string; message: string } }).error.message).toContain('application/json');
    }
    const taken = await post('application/json; charset=utf-8');
    expect(taken.status).not.toBe(415);
  });
});
