import { afterEach, describe, expect, it } from 'vitest';
import type { GuardedEngine } from './guarded-engine.ts';
import { askAnthropic, waitFor } from './guarded-engine.ts';
import { startTwoKeyProvider } from './two-key-setup.ts';
import { stopEverythingStarted } from './stop-after-each.ts';

// Issue 4, items 3g and 3h: a client that disconnects aborts the upstream call and is nobody's failure; an error
// after the first byte has gone to the client is never retried, and the stream ends with the client format's error
// event (and counts against the provider).

const secrets = { a: 'fake-ant-stream-key-0000000000000aaaa', b: 'fake-ant-stream-key-0000000000000bbbb' };

afterEach(stopEverythingStarted);

function setup() {
  return startTwoKeyProvider({ kind: 'anthropic', id: 'claude', secrets, now: () => performance.now(), settings: { breaker: { failureThreshold: 1 } } });
}

function expectNothingCounted(engine: GuardedEngine): void {
  const snapshot = engine.provider('claude');
  expect(snapshot).toMatchObject({ inFlight: 0, errors: 0, breaker: { state: 'closed', recentFailures: 0 } });
  for (const key of snapshot.keys) expect(key).toMatchObject({ state: 'active', errors: 0, inFlight: 0, breaker: { state: 'closed' } });
}

describe('a client that disconnects', () => {
  it('while the provider is still thinking: the upstream call is aborted, nothing is counted or retried', async () => {
    const { provider, engine } = await setup();
    provider.setReply(() => ({ kind: 'hang' }));
    const controller = new AbortController();
    const answer = askAnthropic(engine.running, 'claude/claude-sonnet-4-5', { signal: controller.signal }).catch((error: unknown) => error);
    await waitFor(() => provider.arrivals.length === 1, 'the request reached the provider');
    controller.abort();
    expect(await answer).toBeInstanceOf(Error);
    await waitFor(() => provider.upstream.closedByClient === 1, 'the provider saw the call aborted');
    await waitFor(() => engine.provider('claude').inFlight === 0, 'the slot is free');
    expect(provider.arrivals).toHaveLength(1);
    expectNothingCounted(engine);
  });

  it('in the middle of a stream: the upstream stream is aborted, nothing is counted', async () => {
    const { provider, engine } = await setup();
    provider.setReply(() => ({ kind: 'text', text: 'a long answer '.repeat(40), chunks: 40, chunkDelayMs: 20 }));
    const controller = new AbortController();
    const response = await fetch(`${engine.running.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': engine.running.clientKey },
      body: JSON.stringify({ model: 'claude/claude-sonnet-4-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await waitFor(() => provider.upstream.closedByClient === 1, 'the provider saw the stream aborted');
    await waitFor(() => engine.provider('claude').inFlight === 0, 'the slot is free');
    expect(provider.arrivals).toHaveLength(1);
    expectNothingCounted(engine);
  });
});

describe('an error after the first byte went to the client', () => {
  it('is not retried; the stream ends with the Anthropic error event and the failure is counted', async () => {
    const { provider, engine } = await setup();
    provider.setReply(() => ({ kind: 'break-mid-stream', afterChunks: 3 }));
    const answer = await askAnthropic(engine.running, 'claude/claude-sonnet-4-5', { stream: true });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-switchyard-attempts')).toBe('1');
    expect(answer.text).toContain('event: content_block_start');
    expect(answer.text.trimEnd()).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"[a-z_]+","message":"[^"]+"\}\}$/);
    await waitFor(() => engine.provider('claude').inFlight === 0, 'the slot is free');
    expect(provider.arrivals).toHaveLength(1);
    const snapshot = engine.provider('claude');
    expect(snapshot.errors).toBe(1);
    expect(snapshot.keys.find((key) => key.id === 'a')!.errors).toBe(1);
    // The failure is breaker material (threshold 1 here), though the request itself was never retried.
    expect(snapshot.breaker.state).toBe('open');
  });
});

describe('an error the provider reports inside a translated stream', () => {
  const anthropicEvent = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

  it('reaches the OpenAI client as its error chunk and counts against the provider, as the decoder read it', async () => {
    const { provider, engine } = await setup();
    provider.setReply(() => ({
      kind: 'raw',
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      chunks: [
        anthropicEvent('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], usage: { input_tokens: 5, output_tokens: 1 } } }),
        anthropicEvent('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
        anthropicEvent('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'partial' } }),
        anthropicEvent('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
      ],
    }));
    const response = await fetch(`${engine.running.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${engine.running.clientKey}` },
      body: JSON.stringify({ model: 'claude/claude-sonnet-4-5', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toContain('"content":"partial"');
    expect(text).toMatch(/data: \{"error":\{"message":"[^"]*Overloaded/);
    await waitFor(() => engine.provider('claude').inFlight === 0, 'the slot is free');
    expect(provider.arrivals).toHaveLength(1);
    expect(engine.provider('claude').errors).toBe(1);
  });

  it('is not imagined from text that merely looks like an error', async () => {
    const { provider, engine } = await setup();
    const quoted = 'data: {"error": here is how an error event looks; event: error';
    provider.setReply(() => ({ kind: 'text', text: quoted, chunks: 3 }));
    const response = await fetch(`${engine.running.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${engine.running.clientKey}` },
      body: JSON.stringify({ model: 'claude/claude-sonnet-4-5', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(await response.text()).toContain('data: [DONE]');
    await waitFor(() => engine.provider('claude').inFlight === 0, 'the slot is free');
    expectNothingCounted(engine);
  });
});
