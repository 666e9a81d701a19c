import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';

// Bad input gets a clear 4xx in the caller's own error format; nothing crashes or hangs the server.

let upstream: FakeUpstream;
let running: RunningEngine;

beforeAll(async () => {
  upstream = await startFakeUpstream('anthropic');
  running = await startEngine(
    {
      server: { maxBodyBytes: 64 * 1024, clientKeys: [{ env: 'CLIENT_KEY' }] },
      providers: [{ id: 'claude', type: 'anthropic', baseUrl: upstream.url, keys: [{ id: 'k', secret: { env: 'A' } }] }],
    },
    { env: { A: 'fake-ant-upstream-key-aaaaaaaaaaaaaaaaaaaa', CLIENT_KEY: 'sy-configured-client-key-123456' } },
  );
});

afterAll(async () => {
  await running?.stop();
  await upstream?.close();
});

const clientKey = 'sy-configured-client-key-123456';

type Caller = 'anthropic' | 'openai-chat' | 'openai-responses' | 'gemini';
const callers: Record<Caller, { path: (model: string) => string; auth: Record<string, string> }> = {
  anthropic: { path: () => '/v1/messages', auth: { 'x-api-key': clientKey } },
  'openai-chat': { path: () => '/v1/chat/completions', auth: { authorization: `Bearer ${clientKey}` } },
  'openai-responses': { path: () => '/v1/responses', auth: { authorization: `Bearer ${clientKey}` } },
  gemini: { path: (model) => `/v1beta/models/${model}:generateContent`, auth: { 'x-goog-api-key': clientKey } },
};

/** The union of the four APIs' error documents, for reading them in tests. */
interface ErrorDocument {
  type?: string;
  error: { type?: string; message: string; code?: number | string | null; status?: string; param?: unknown };
}

async function post(caller: Caller, body: string, options: { model?: string; headers?: Record<string, string> } = {}) {
  const spec = callers[caller];
  const response = await fetch(`${running.url}${spec.path(options.model ?? 'claude/x')}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...spec.auth, ...options.headers },
    body,
  });
  return { status: response.status, json: (await response.json()) as ErrorDocument, headers: response.headers };
}

/** Checks the error document has the caller's shape and returns its message. */
function messageOf(caller: Caller, json: ErrorDocument): string {
  if (caller === 'anthropic') {
    expect(json.type).toBe('error');
    expect(typeof json.error.type).toBe('string');
    return json.error.message;
  }
  if (caller === 'gemini') {
    expect(typeof json.error.code).toBe('number');
    expect(typeof json.error.status).toBe('string');
    return json.error.message;
  }
  expect(typeof json.error.type).toBe('string');
  expect(json.error).toHaveProperty('param');
  return json.error.message;
}

describe.each(Object.keys(callers) as Caller[])('bad input from a %s client', (caller) => {
  it('malformed JSON -> 400 naming the problem', async () => {
    const { status, json } = await post(caller, '{"model": "claude/x", ');
    expect(status).toBe(400);
    expect(messageOf(caller, json)).toMatch(/not valid JSON/);
  });

  it('a JSON array instead of an object -> 400', async () => {
    const { status, json } = await post(caller, '[1,2]');
    expect(status).toBe(400);
    expect(messageOf(caller, json)).toMatch(/JSON object/);
  });

  if (caller !== 'gemini') {
    it('missing model -> 400 that says how to name one', async () => {
      const { status, json } = await post(caller, '{"messages":[]}');
      expect(status).toBe(400);
      expect(messageOf(caller, json)).toMatch(/no "model"/);
    });
  }

  it('unknown model -> 404 listing what exists', async () => {
    const body = caller === 'gemini' ? '{"contents":[]}' : '{"model":"nope-1","messages":[]}';
    const { status, json } = await post(caller, body, { model: 'nope-1' });
    expect(status).toBe(404);
    expect(messageOf(caller, json)).toMatch(/Unknown model "nope-1".*claude/);
  });

  it('oversized body -> 413', async () => {
    const { status, json } = await post(caller, JSON.stringify({ model: 'claude/x', padding: 'x'.repeat(100 * 1024) }));
    expect(status).toBe(413);
    expect(messageOf(caller, json)).toMatch(/larger than the limit/);
  });

  it('no client key or a wrong one -> 401', async () => {
    for (const headers of [{}, { 'x-api-key': 'wrong' }, { authorization: 'Bearer wrong' }, { 'x-goog-api-key': 'wrong' }]) {
      const response = await fetch(`${running.url}${callers[caller].path('claude/x')}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
      expect(response.status).toBe(401);
      expect(messageOf(caller, (await response.json()) as ErrorDocument)).toMatch(/client key/);
    }
  });
});

describe('security defaults', () => {
  it('accepts the key as ?key= for Gemini clients', async () => {
    const response = await fetch(`${running.url}/v1beta/models/claude/x:generateContent?key=${clientKey}`, { method: 'POST', body: '{"contents":[]}' });
    // Authenticated: a Gemini client served by the Anthropic provider through translation.
    expect(response.status).toBe(200);
  });

  it('refuses a request whose Host is not local (DNS rebinding)', async () => {
    const before = upstream.requests.length;
    const answer = await rawRequest(`POST /v1/messages HTTP/1.1\r\nHost: attacker.example:8787\r\nx-api-key: ${clientKey}\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}`);
    expect(answer).toMatch(/^HTTP\/1\.1 403/);
    expect(answer).toContain('Host or Origin not allowed');
    expect(upstream.requests.length).toBe(before);
  });

  it('refuses a cross-site browser Origin', async () => {
    const response = await fetch(`${running.url}/v1/messages`, { method: 'POST', headers: { origin: 'https://evil.example', 'x-api-key': clientKey }, body: '{}' });
    expect(response.status).toBe(403);
  });

  it('answers garbage on the socket with 400 and keeps serving', async () => {
    const answer = await rawRequest('THIS IS NOT HTTP\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(`${running.url}/health`)).status).toBe(200);
  });

  it('answers unknown paths and wrong methods in the caller format', async () => {
    const notFound = await fetch(`${running.url}/v1/nothing-here`, { headers: { authorization: `Bearer ${clientKey}` } });
    expect(notFound.status).toBe(404);
    const wrongMethod = await fetch(`${running.url}/v1/messages`, { headers: { 'x-api-key': clientKey } });
    expect(wrongMethod.status).toBe(405);
    expect(((await wrongMethod.json()) as { type: string }).type).toBe('error');
  });

  it('never puts a provider key or the client key into its logs', async () => {
    upstream.setHandler(() => ({ kind: 'error', status: 500, message: 'echoing fake-ant-upstream-key-aaaaaaaaaaaaaaaaaaaa back' }));
    await post('anthropic', JSON.stringify({ model: 'claude/x', max_tokens: 1, messages: [] }));
    running.engine.logger.error(`a careless message with ${clientKey} and fake-ant-upstream-key-aaaaaaaaaaaaaaaaaaaa`);
    const logs = running.logs.join('\n');
    expect(logs).toContain('careless message');
    expect(logs).not.toContain('fake-ant-upstream-key-aaaaaaaaaaaaaaaaaaaa');
    expect(logs).not.toContain(clientKey);
    upstream.setHandler(() => ({ kind: 'text' }));
  });
});

function rawRequest(text: string): Promise<string> {
  const { port } = new URL(running.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(5_000, () => {
      socket.destroy();
      resolve(answer);
    });
  });
}
