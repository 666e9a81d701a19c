import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { geminiCodec } from '../../../main/core/formats/gemini/gemini-codec.ts';
import type { FakeReply, FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';

// Combo fallback through the real pipeline and the real guard: the next target is tried only when the current one is
// out (429 on every key, spent quota, 5xx, bad keys, unreachable) and never after a 400 the request caused.
// Every case uses its own provider ids, so the guard's memory of one case (cooling keys) cannot leak into another.

let first: FakeUpstream;
let second: FakeUpstream;
let gemini: FakeUpstream;
let running: RunningEngine;

const env = {
  K1: 'fake-ant-first-key-one-aaaaaaaaaaaa',
  K2: 'fake-ant-first-key-two-bbbbbbbbbbbb',
  K3: 'fake-ant-second-key-cccccccccccccccc',
  G1: 'fake-gemini-key-for-fallback-tests-0000',
};

/** The first upstream's behaviour, by the model it is asked for. */
function firstReply(model: string | undefined, credential: string | undefined): FakeReply {
  switch (model) {
    case 'claude-limited':
      return credential === env.K1
        ? { kind: 'error', status: 429, type: 'rate_limit_error', message: 'Number of requests has exceeded your rate limit', headers: { 'retry-after': '3600' } }
        : { kind: 'error', status: 400, type: 'invalid_request_error', message: 'Your credit balance is too low to access the Anthropic API.' };
    case 'claude-strict':
      return { kind: 'error', status: 400, type: 'invalid_request_error', message: 'messages: roles must alternate' };
    case 'claude-busy':
      return { kind: 'error', status: 529, type: 'overloaded_error', message: 'Overloaded' };
    case 'claude-missing':
      return { kind: 'error', status: 404, type: 'not_found_error', message: 'model: claude-missing' };
    case 'claude-revoked':
      return { kind: 'error', status: 401, type: 'authentication_error', message: 'invalid x-api-key' };
    default:
      return { kind: 'text' };
  }
}

const fast = { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 }, breaker: { failureThreshold: 1000 } };
const on = (id: string, keys = [{ id: 'k1', secret: { env: 'K1' } }]) => ({ id, type: 'anthropic' as const, baseUrl: first.url, keys, ...fast });

beforeAll(async () => {
  first = await startFakeUpstream('anthropic');
  second = await startFakeUpstream('anthropic');
  gemini = await startFakeUpstream('gemini');
  first.setHandler((request) => firstReply(request.model, request.credential));
  running = await startEngine(
    {
      providers: [
        on('limited', [
          { id: 'k1', secret: { env: 'K1' } },
          { id: 'k2', secret: { env: 'K2' } },
        ]),
        on('strict'),
        on('busy'),
        on('revoked'),
        on('missing'),
        { id: 'second', type: 'anthropic', baseUrl: second.url, keys: [{ id: 'k3', secret: { env: 'K3' } }] },
        { id: 'gem', type: 'gemini', baseUrl: gemini.url, keys: [{ id: 'g1', secret: { env: 'G1' } }], ...fast },
        { id: 'gem-bug', type: 'gemini', baseUrl: gemini.url, keys: [{ id: 'g1', secret: { env: 'G1' } }], ...fast },
        { id: 'nowhere', type: 'anthropic', baseUrl: 'http://127.0.0.1:9', keys: [{ id: 'k', secret: { env: 'K1' } }], ...fast },
      ],
      combos: [
        { name: 'rate', targets: ['limited/claude-limited', 'second/claude-second'] },
        { name: 'bad-request', targets: ['strict/claude-strict', 'second/claude-second'] },
        { name: 'overload', targets: ['busy/claude-busy', 'second/claude-second'] },
        { name: 'no-model', targets: ['missing/claude-missing', 'second/claude-second'] },
        { name: 'bad-key', targets: ['revoked/claude-revoked', 'second/claude-second'] },
        { name: 'gem-first', targets: ['gem/gemini-2.5-pro', 'second/claude-second'] },
        { name: 'codec-bug', targets: ['gem-bug/gemini-2.5-pro', 'second/claude-second'] },
        { name: 'dead-first', targets: ['nowhere/claude-x', 'second/claude-second'] },
      ],
    },
    { env },
  );
});

afterAll(async () => {
  await running?.stop();
  await Promise.all([first?.close(), second?.close(), gemini?.close()]);
});

beforeEach(() => {
  for (const upstream of [first, second, gemini]) upstream.requests.length = 0;
});

async function ask(model: string, options: { stream?: boolean } = {}) {
  const response = await fetch(`${running.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': running.clientKey, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model, max_tokens: 64, stream: options.stream ?? false, messages: [{ role: 'user', content: 'hello' }] }),
  });
  return {
    status: response.status,
    body: await response.text(),
    target: response.headers.get('x-switchyard-target'),
    attempts: Number(response.headers.get('x-switchyard-attempts')),
  };
}

describe('combo fallback', () => {
  it('429 on every key of the first target (one rate limited, one out of credit): the second serves, streaming', async () => {
    const answer = await ask('rate', { stream: true });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('event: message_stop');
    expect(answer.target).toBe('second/claude-second');
    expect(answer.attempts).toBe(3);
    expect(new Set(first.requests.map((request) => request.credential))).toEqual(new Set([env.K1, env.K2]));
    expect(second.requests).toHaveLength(1);
    expect(second.requests[0]!.model).toBe('claude-second');

    // Both keys are out for a while now: the next request goes straight to the second target.
    const next = await ask('rate');
    expect(next.status).toBe(200);
    expect(next.target).toBe('second/claude-second');
    expect(first.requests).toHaveLength(2);
  });

  it('a 400 caused by the request does not fall through: the client gets it, the second target is never asked', async () => {
    const answer = await ask('bad-request');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error.message).toContain('roles must alternate');
    expect(answer.target).toBe('strict/claude-strict');
    expect(first.requests).toHaveLength(1);
    expect(second.requests).toHaveLength(0);
  });

  it('an overloaded provider (529) falls through after the guard gave up on it', async () => {
    const answer = await ask('overload');
    expect(answer.status).toBe(200);
    expect(answer.target).toBe('second/claude-second');
    expect(first.requests.length).toBeGreaterThanOrEqual(1);
  });

  it('a target without the model (404) falls through at once, and its key is neither cooled nor blamed', async () => {
    const answer = await ask('no-model');
    expect(answer.status).toBe(200);
    expect(answer.target).toBe('second/claude-second');
    expect(answer.attempts).toBe(2);
    expect(first.requests).toHaveLength(1); // not retried on the target that lacks the model

    const guard = await fetch(`${running.url}/api/guard/snapshot`, { headers: { authorization: `Bearer ${running.managementToken}` } });
    const snapshot = (await guard.json()) as { providers: { id: string; keys: { id: string; state: string; errors: number }[] }[] };
    const key = snapshot.providers.find((provider) => provider.id === 'missing')!.keys[0]!;
    expect(key.state).toBe('active');
    expect(key.errors).toBe(0);

    // Alone, the 404 reaches the client in its own format.
    const alone = await ask('missing/claude-missing');
    expect(alone.status).toBe(404);
    expect(JSON.parse(alone.body).error.type).toBe('not_found_error');
  });

  it('a revoked key (401) falls through', async () => {
    const answer = await ask('bad-key');
    expect(answer.status).toBe(200);
    expect(answer.target).toBe('second/claude-second');
  });

  it('an unreachable provider falls through', async () => {
    const answer = await ask('dead-first');
    expect(answer.status).toBe(200);
    expect(answer.target).toBe('second/claude-second');
  });

  it('Gemini reports a bad key as 400 API_KEY_INVALID: classified as the key failing, so the combo falls through', async () => {
    gemini.setHandler(() => ({
      kind: 'error',
      status: 400,
      body: {
        error: {
          code: 400,
          message: 'API key not valid. Please pass a valid API key.',
          status: 'INVALID_ARGUMENT',
          details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }],
        },
      },
    }));
    const answer = await ask('gem-first');
    expect(answer.status).toBe(200);
    expect(answer.target).toBe('second/claude-second');
    expect(gemini.requests).toHaveLength(1);
  });

  it('an internal error (a TypeError in a codec) is a bug: logged as an error, a 500 in the client format, no next target', async () => {
    gemini.setHandler(() => ({ kind: 'text' }));
    // The Gemini answer is fine; translating it back to Anthropic throws the way a codec bug would.
    const broken = vi.spyOn(geminiCodec, 'decodeResponse').mockImplementation(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'parts')");
    });
    try {
      const logged = running.logs.length;
      const answer = await ask('codec-bug');
      expect(answer.status).toBe(500);
      expect(JSON.parse(answer.body)).toMatchObject({ type: 'error', error: { type: 'api_error' } });
      expect(JSON.parse(answer.body).error.message).toContain("reading 'parts'");
      expect(gemini.requests).toHaveLength(1);
      expect(second.requests).toHaveLength(0);
      const lines = running.logs.slice(logged);
      expect(lines.some((line) => / ERROR internal error while serving a request/.test(line))).toBe(true);
      expect(lines.some((line) => line.includes('target failed, trying the next'))).toBe(false);
    } finally {
      broken.mockRestore();
    }
  });

  it('when every target is out, the client gets the last failure in its own format', async () => {
    const answer = await ask('limited/claude-limited');
    expect([429, 503]).toContain(answer.status);
    expect(JSON.parse(answer.body).type).toBe('error');
  });
});
