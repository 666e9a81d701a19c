// The usage readers on answers that come over real HTTP from fake providers (127.0.0.1, the vendors' wire formats),
// fed the body chunks exactly as the network delivers them: whole and streamed for every upstream format, Ollama's
// native NDJSON, include_usage added to an OpenAI Chat request that lacked it, and a stream the client aborts.
import { afterEach, describe, expect, it } from 'vitest';
import { codecFor } from '../../../main/core/formats/codecs.ts';
import { withStreamUsage } from '../../../main/core/formats/openai-chat/stream-usage-option.ts';
import type { UsageReading } from '../../../main/core/formats/token-usage/usage-reading.ts';
import { ollamaNativeUsage } from '../../../main/core/providers/ollama/read-usage.ts';
import type { TokenBreakdown } from '../../../main/core/usage/token-breakdown.ts';
import { tokenBreakdown } from '../../../main/core/usage/token-breakdown.ts';
import type { FakeUpstream, FakeUpstreamKind } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';

const upstreams: FakeUpstream[] = [];
afterEach(async () => {
  while (upstreams.length) await upstreams.pop()!.close();
});

const usage = { input: 1000, output: 80, cacheRead: 600, cacheWrite: 100, reasoning: 30 };
const messages = [{ role: 'user', content: 'hi' }];

interface Case {
  kind: FakeUpstreamKind;
  reading: UsageReading;
  /** Path and body for a whole answer or a stream. */
  request(stream: boolean): { path: string; body: Record<string, unknown> };
  /** What the vendor's figures mean in the ledger's breakdown. */
  expected: TokenBreakdown;
}

const cases: Record<string, Case> = {
  anthropic: {
    kind: 'anthropic',
    reading: codecFor('anthropic').usage,
    request: (stream) => ({ path: '/v1/messages', body: { model: 'm', max_tokens: 100, stream, messages } }),
    // Anthropic's input_tokens (1000) already excludes the cache reads and writes.
    expected: { inputTokens: 1000, cacheReadTokens: 600, cacheWriteTokens: 100, outputTokens: 80, reasoningTokens: 0 },
  },
  'openai-chat': {
    kind: 'openai',
    reading: codecFor('openai-chat').usage,
    request: (stream) => ({ path: '/chat/completions', body: withStreamUsage({ model: 'm', stream, messages }).body }),
    expected: { inputTokens: 400, cacheReadTokens: 600, cacheWriteTokens: 0, outputTokens: 80, reasoningTokens: 30 },
  },
  'openai-responses': {
    kind: 'openai',
    reading: codecFor('openai-responses').usage,
    request: (stream) => ({ path: '/responses', body: { model: 'm', stream, input: 'hi' } }),
    expected: { inputTokens: 400, cacheReadTokens: 600, cacheWriteTokens: 0, outputTokens: 80, reasoningTokens: 30 },
  },
  gemini: {
    kind: 'gemini',
    reading: codecFor('gemini').usage,
    request: (stream) => ({ path: stream ? '/v1beta/models/m:streamGenerateContent?alt=sse' : '/v1beta/models/m:generateContent', body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] } }),
    // Gemini's candidatesTokenCount (80) leaves out the 30 thought tokens; output includes them.
    expected: { inputTokens: 400, cacheReadTokens: 600, cacheWriteTokens: 0, outputTokens: 110, reasoningTokens: 30 },
  },
  'ollama native': {
    kind: 'ollama',
    reading: ollamaNativeUsage,
    request: (stream) => ({ path: '/api/chat', body: { model: 'm', stream, messages } }),
    expected: { inputTokens: 1000, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 80, reasoningTokens: 0 },
  },
};

async function upstream(kind: FakeUpstreamKind, chunkDelayMs?: number): Promise<FakeUpstream> {
  const started = await startFakeUpstream(kind);
  started.setHandler(() => ({ kind: 'text', chunks: 6, usage, ...(chunkDelayMs ? { chunkDelayMs } : {}) }));
  upstreams.push(started);
  return started;
}

const base = (started: FakeUpstream) => started.url.replace(/\/v1$/, '');

describe('usage read from fake providers over HTTP', () => {
  for (const [name, example] of Object.entries(cases)) {
    it(`${name}: a whole answer and a stream give the same breakdown`, async () => {
      const started = await upstream(example.kind);
      for (const stream of [false, true]) {
        const { path, body } = example.request(stream);
        const response = await fetch(`${name.startsWith('openai') ? started.url : base(started)}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'fake-key', authorization: 'Bearer fake-key' }, body: JSON.stringify(body) });
        expect(response.status).toBe(200);
        let read;
        if (stream) {
          const reader = example.reading.createStreamReader();
          for await (const chunk of response.body!) reader.push(Buffer.from(chunk));
          read = reader.usage();
        } else read = example.reading.fromBody(await response.json());
        expect(tokenBreakdown(read!), stream ? 'streamed' : 'whole').toEqual(example.expected);
      }
      if (name === 'openai-chat') expect(started.requests.at(-1)!.json!.stream_options).toEqual({ include_usage: true });
    });
  }

  it('a stream the client aborts keeps what had arrived (Anthropic: the input and cache figures)', async () => {
    const started = await upstream('anthropic', 20);
    const controller = new AbortController();
    const response = await fetch(`${started.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'fake-key' }, body: JSON.stringify(cases.anthropic!.request(true).body), signal: controller.signal });
    const reader = codecFor('anthropic').usage.createStreamReader();
    await expect(
      (async () => {
        for await (const chunk of response.body!) {
          reader.push(Buffer.from(chunk));
          if (reader.usage()) controller.abort(); // the client goes away right after message_start
        }
      })(),
    ).rejects.toThrow();
    expect(tokenBreakdown(reader.usage()!)).toEqual({ inputTokens: 1000, cacheReadTokens: 600, cacheWriteTokens: 100, outputTokens: 1, reasoningTokens: 0 });
  });
});
