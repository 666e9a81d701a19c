import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeReply, FakeUpstream, RecordedRequest } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import type { ClientAnswer, GuardedEngine } from './guarded-engine.ts';
import { answer as readAnswer, startGuardedEngine, waitFor } from './guarded-engine.ts';
import { stopEverythingStarted, trackEngine, trackUpstream } from './stop-after-each.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';
import { temporaryDataDir } from '../../helpers/usage-events.ts';

// Issue 15, point 1: every path through the guard gives back what it took. Each step of a request is made to fail in
// turn — routing, admission, building the credential header, connecting, the upstream's headers, its first stream
// chunk, decoding / translating mid-answer, writing to the client (the client leaving), recording usage — streamed
// and not. Each time the client gets an error in its own format (or, when it left, a closed connection), the engine
// keeps serving, and the guard's in-flight and queue counts for every provider and key return to 0.

const secrets = { claude: 'fake-ant-fault-key-00000000000000001', gpt: 'fake-oai-fault-key-00000000000000001', narrow: 'fake-ant-fault-key-00000000000000002' };
/** One retry-free attempt and a breaker that never opens, so each request fails exactly at the step under test. */
const once = { retry: { maxAttempts: 1 }, breaker: { failureThreshold: 1_000_000 } };

let engine: GuardedEngine;
let anthropic: FakeUpstream;
let openai: FakeUpstream;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The fake providers answer by the step named in the prompt (`fault:<step>`). */
function reply(request: RecordedRequest): FakeReply {
  const step = /fault:([a-z-]+)/.exec(request.body.toString('utf8'))?.[1];
  switch (step) {
    case 'reset-before-headers':
      // A handler that throws makes the fake destroy the connection before any header.
      throw new Error('reset');
    case 'server-error':
      return { kind: 'error', status: 503, message: 'overloaded' };
    case 'reset-before-first-chunk':
      return { kind: 'break-mid-stream', afterChunks: 0 };
    case 'reset-mid-stream':
      return { kind: 'break-mid-stream', afterChunks: 3 };
    case 'stall':
      // Headers and a first piece, then silence far past the provider's idle timeout (500 ms here).
      return request.stream ? { kind: 'text', chunks: 3, chunkDelayMs: 3_000 } : { kind: 'raw', status: 200, headers: { 'content-type': 'application/json' }, chunks: ['{"id":"msg_stall",', '"type":"message"}'], chunkDelayMs: 3_000 };
    case 'error-in-stream':
      // An OpenAI-compatible server reporting a failure inside its 200 stream, after a first piece of text.
      return { kind: 'raw', status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: ['data: {"id":"x","choices":[{"index":0,"delta":{"content":"a"}}]}\n\n', 'data: {"error":{"message":"the model fell over","code":500}}\n\n'] };
    case 'garbage-stream':
      return { kind: 'raw', status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: ['data: {"id":"x","choices":[{"delta":{"content":"a"}}]}\n\n', 'data: {this is not json\n\n'] };
    case 'garbage-body':
      return { kind: 'raw', status: 200, headers: { 'content-type': 'application/json' }, chunks: ['{"this is": not json'] };
    case 'hang':
      return { kind: 'hang' };
    case 'slow':
      return { kind: 'text', text: 'a slow answer, piece by piece. '.repeat(10), chunks: 30, chunkDelayMs: 30 };
    default:
      return { kind: 'text' };
  }
}

beforeAll(async () => {
  anthropic = await startFakeUpstream('anthropic');
  openai = await startFakeUpstream('openai');
  trackUpstream(() => anthropic.close());
  trackUpstream(() => openai.close());
  anthropic.setHandler(reply);
  openai.setHandler(reply);
  const key = (env: string) => [{ id: 'k', secret: { env } }];
  engine = await startGuardedEngine(
    {
      providers: [
        { id: 'claude', type: 'anthropic', baseUrl: anthropic.url, keys: key('CLAUDE_KEY'), timeouts: { idleMs: 500 }, ...once },
        { id: 'gpt', type: 'openai-compatible', baseUrl: openai.url, keys: key('GPT_KEY'), ...once },
        // A key pasted with a line break: not a valid header value.
        { id: 'badkey', type: 'anthropic', baseUrl: anthropic.url, keys: key('BAD_KEY'), ...once },
        { id: 'down', type: 'anthropic', baseUrl: `http://127.0.0.1:${await closedPort()}`, keys: key('CLAUDE_KEY'), ...once },
        { id: 'narrow', type: 'anthropic', baseUrl: anthropic.url, keys: key('NARROW_KEY'), limits: { maxConcurrent: 1 }, queue: { maxLength: 1 }, ...once },
      ],
      combos: [{ name: 'pair', targets: ['down/claude-sonnet-4-5', 'claude/claude-sonnet-4-5'] }],
    },
    {
      env: { CLAUDE_KEY: secrets.claude, GPT_KEY: secrets.gpt, BAD_KEY: 'fake-ant-fault-key-0000\n0000000000003', NARROW_KEY: secrets.narrow },
      // Steps no outside input can break (the translators take any bytes; every header value is made safe) are
      // broken from inside: a model named `…/probe-<step>` throws there.
      stepProbe: (step, request) => {
        if (request.model.endsWith(`/probe-${step}`)) throw new Error(`fault injected at ${step}`);
      },
    },
  );
});

const usageData = temporaryDataDir();
afterAll(async () => {
  await stopEverythingStarted();
  usageData.remove();
});

type Answer = ClientAnswer;

async function ask(path: string, body: Record<string, unknown>, options: { signal?: AbortSignal; format?: 'anthropic' | 'openai'; to?: RunningEngine } = {}): Promise<Answer> {
  const to = options.to ?? engine.running;
  const headers: Record<string, string> = options.format === 'openai' ? { authorization: `Bearer ${to.clientKey}` } : { 'x-api-key': to.clientKey, 'anthropic-version': '2023-06-01' };
  return readAnswer(await fetch(`${to.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: options.signal }));
}

const messages = (step: string) => [{ role: 'user', content: `fault:${step}` }];
const askClaude = (model: string, step: string, stream: boolean, signal?: AbortSignal) => ask('/v1/messages', { model, max_tokens: 32, stream, messages: messages(step) }, signal ? { signal } : {});
const askChat = (model: string, step: string, stream: boolean) => ask('/v1/chat/completions', { model, stream, messages: messages(step) }, { format: 'openai' });

function expectAnthropicError(answer: Answer, status?: number | RegExp): void {
  if (status instanceof RegExp) expect(String(answer.status)).toMatch(status);
  else if (status !== undefined) expect(answer.status).toBe(status);
  else expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.json, answer.text).toMatchObject({ type: 'error', error: { type: expect.any(String), message: expect.any(String) } });
}

function expectOpenaiError(answer: Answer): void {
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.json, answer.text).toMatchObject({ error: { message: expect.any(String) } });
}

/** A stream that started (200) and was ended with the Anthropic error event. */
function expectAnthropicStreamError(answer: Answer): void {
  expect(answer.status).toBe(200);
  expect(answer.text.trimEnd()).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"[a-z_]+","message":"[^"]+"\}\}$/);
}

/** Every slot and queue place of every provider and key is back (bounded wait), and the engine still serves. */
async function expectEverythingReleased(): Promise<void> {
  const idle = () =>
    engine.guard.snapshot().providers.every((provider) => provider.inFlight === 0 && provider.queueDepth === 0 && provider.dedupInFlight === 0 && provider.keys.every((key) => key.inFlight === 0));
  await waitFor(idle, 'in-flight and queued back to 0 for every provider and key', 5_000).catch((error: unknown) => {
    const held = engine.guard.snapshot().providers.map((provider) => `${provider.id}: in flight ${provider.inFlight}, queued ${provider.queueDepth}, keys ${provider.keys.map((key) => key.inFlight).join('/')}`);
    throw new Error(`${(error as Error).message}\n${held.join('\n')}`);
  });
  const healthy = await askClaude('claude/claude-sonnet-4-5', 'fine', false);
  expect(healthy.status).toBe(200);
  expect(healthy.json).toMatchObject({ type: 'message' });
}

for (const stream of [false, true]) {
  const how = stream ? 'streamed' : 'whole';
  describe(`each step of a ${how} request failing gives back its guard slot`, () => {
    it('routing: a model nobody serves is a 4xx in the client format, before the guard', async () => {
      expectAnthropicError(await askClaude('nobody/some-model', 'fine', stream), /^4\d\d$/);
      expectOpenaiError(await askChat('nobody/some-model', 'fine', stream));
      await expectEverythingReleased();
    });

    it('guard admission: a full queue refuses with 429; a client leaving while queued frees its place', async () => {
      const holder = new AbortController();
      const holding = askClaude('narrow/claude-sonnet-4-5', 'hang', stream, holder.signal).catch((error: unknown) => error);
      await waitFor(() => engine.provider('narrow').inFlight === 1, 'the first request holds the only slot');
      const waiter = new AbortController();
      const waiting = askClaude('narrow/claude-sonnet-4-5', 'fine', stream, waiter.signal).catch((error: unknown) => error);
      await waitFor(() => engine.provider('narrow').queueDepth === 1, 'the second request waits in the queue');
      expectAnthropicError(await askClaude('narrow/claude-sonnet-4-5', 'fine', stream), 429);
      waiter.abort();
      expect(await waiting).toBeInstanceOf(Error);
      await waitFor(() => engine.provider('narrow').queueDepth === 0, 'the queue place is free');
      holder.abort();
      expect(await holding).toBeInstanceOf(Error);
      await expectEverythingReleased();
    });

    it('credential header: a key that is not a valid header value fails in the client format', async () => {
      const answer = await askClaude('badkey/claude-sonnet-4-5', 'fine', stream);
      expectAnthropicError(answer);
      expect(answer.text).not.toContain('fault-key');
      await expectEverythingReleased();
    });

    it('header-unsafe model names (€, CJK, a newline, a NUL) are served, the target header percent-encoded', async () => {
      for (const name of ['claude-€', 'claude-模型', 'claude-\nx', 'claude-\u0000']) {
        const answer = await askClaude(`claude/${name}`, 'fine', stream);
        expect(answer.status, answer.text).toBe(200);
        expect(answer.headers.get('x-switchyard-target')).toMatch(/^claude\/claude-(%[0-9A-F]{2})+(x)?$/);
      }
      await expectEverythingReleased();
    });

    it('upstream connect: nothing listening is a 5xx in the client format; a combo falls through to the next target', async () => {
      expectAnthropicError(await askClaude('down/claude-sonnet-4-5', 'fine', stream), /^5\d\d$/);
      expectOpenaiError(await askChat('down/claude-sonnet-4-5', 'fine', stream));
      const fellThrough = await askClaude('pair', 'fine', stream);
      expect(fellThrough.status).toBe(200);
      expect(fellThrough.headers.get('x-switchyard-target')).toBe('claude/claude-sonnet-4-5');
      await expectEverythingReleased();
    });

    it('upstream headers: a reset before them, or a 5xx, is an error in the client format', async () => {
      expectAnthropicError(await askClaude('claude/claude-sonnet-4-5', 'reset-before-headers', stream), /^5\d\d$/);
      expectAnthropicError(await askClaude('claude/claude-sonnet-4-5', 'server-error', stream), 503);
      expectOpenaiError(await askChat('gpt/gpt-5', 'reset-before-headers', stream));
      await expectEverythingReleased();
    });

    it('first chunk: the upstream breaks off right after its headers', async () => {
      const answer = await askClaude('claude/claude-sonnet-4-5', 'reset-before-first-chunk', stream);
      if (stream) expectAnthropicStreamError(answer);
      else expectAnthropicError(answer, /^5\d\d$/);
      await expectEverythingReleased();
    });

    it('mid-answer: the upstream breaks off or stalls part-way, or sends what cannot be decoded or translated', async () => {
      for (const step of ['reset-mid-stream', 'stall']) {
        const answer = await askClaude('claude/claude-sonnet-4-5', step, stream);
        if (stream) expectAnthropicStreamError(answer);
        else expectAnthropicError(answer, /^5\d\d$/);
      }
      // Translated (an Anthropic client, an OpenAI-compatible provider): a failure the provider reports inside its
      // 200 stream is decoded and ends the client's stream with its own error event.
      if (stream) expectAnthropicStreamError(await askClaude('gpt/gpt-5', 'error-in-stream', true));
      // Bytes that are not what the format promises: a whole answer that is not JSON is a 502 when it must be
      // translated; a stream's undecodable events are skipped (the decoders take any bytes) and the stream ends.
      const translated = await askClaude('gpt/gpt-5', stream ? 'garbage-stream' : 'garbage-body', stream);
      if (stream) expect(translated.text).toContain('event: message_stop');
      else expectAnthropicError(translated, /^5\d\d$/);
      await askClaude('claude/claude-sonnet-4-5', stream ? 'garbage-stream' : 'garbage-body', stream);
      await expectEverythingReleased();
    });

    it('translating a chunk throws (injected): the stream ends with the client format\'s error event', async () => {
      if (!stream) return; // only stream chunks are translated one by one
      expectAnthropicStreamError(await askClaude('gpt/probe-translate', 'fine', true));
      expectAnthropicStreamError(await askClaude('claude/probe-translate', 'fine', true));
      await expectEverythingReleased();
    });

    it('writing the answer\'s head throws (injected), after the upstream answered: a 500 in the client format', async () => {
      expectAnthropicError(await askClaude('claude/probe-write', 'fine', stream), 500);
      expectAnthropicError(await askClaude('gpt/probe-write', 'fine', stream), 500);
      // An image answer is relayed as it arrives, like a stream, whether or not it is streamed.
      expectOpenaiError(await ask('/v1/images/generations', { model: 'gpt/probe-write', prompt: 'a caboose', stream }, { format: 'openai' }));
      await expectEverythingReleased();
    });

    it('writing to the client: it leaves while the provider thinks, or after the first chunk', async () => {
      const early = new AbortController();
      const leaving = askClaude('claude/claude-sonnet-4-5', 'hang', stream, early.signal).catch((error: unknown) => error);
      await waitFor(() => engine.provider('claude').inFlight === 1, 'the request reached the provider');
      early.abort();
      expect(await leaving).toBeInstanceOf(Error);
      await expectEverythingReleased();
      if (!stream) return;
      const late = new AbortController();
      const response = await fetch(`${engine.running.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': engine.running.clientKey },
        body: JSON.stringify({ model: 'claude/claude-sonnet-4-5', max_tokens: 32, stream: true, messages: messages('slow') }),
        signal: late.signal,
      });
      const reader = response.body!.getReader();
      await reader.read();
      late.abort();
      await reader.read().catch(() => undefined);
      await expectEverythingReleased();
    });
  });
}

describe('recording usage fails', () => {
  // Its own engine, with a real usage ledger (SQLite in a temporary data dir).
  let recording: RunningEngine;
  beforeAll(async () => {
    recording = await startEngine(
      { providers: [{ id: 'claude', type: 'anthropic', baseUrl: anthropic.url, keys: [{ id: 'k', secret: { env: 'CLAUDE_KEY' } }], ...once }] },
      { env: { CLAUDE_KEY: secrets.claude }, dataDir: usageData.dir, logLevel: 'warn' },
    );
    trackEngine(() => recording.stop());
  });

  async function servedAndReleased(): Promise<void> {
    for (const stream of [false, true]) {
      const answer = await ask('/v1/messages', { model: 'claude/claude-sonnet-4-5', max_tokens: 32, stream, messages: messages(stream ? 'slow' : 'fine') }, { to: recording });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.text).toContain(stream ? 'event: message_stop' : '"type":"message"');
    }
    await waitFor(() => recording.engine.guard.snapshot().providers.every((provider) => provider.inFlight === 0 && provider.keys.every((key) => key.inFlight === 0)), 'every slot back', 5_000);
  }

  it('the ledger throws on record: the client still gets its whole answer, and the slot comes back', async () => {
    const ledger = recording.engine.usage!;
    const record = ledger.record;
    ledger.record = () => {
      throw new Error('fault injected while recording usage');
    };
    try {
      await servedAndReleased();
    } finally {
      ledger.record = record;
    }
  });

  it('the ledger was closed under the engine (its database gone): answers are not held back, slots come back', async () => {
    recording.engine.usage!.close();
    await servedAndReleased();
  });
});
