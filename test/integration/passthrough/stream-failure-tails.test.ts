import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { WireFormat } from '../../../shared/wire-format.ts';
import type { FakeUpstreamKind } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';

// An upstream that breaks after the commit point must end the client's stream the same way whether Switchyard
// relayed the upstream's own bytes (passthrough) or translated them: the client format's error event and the
// terminal events its clients wait for (`data: [DONE]` for Chat, `response.failed` for Responses).

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Provider kind per path: passthrough speaks the client's format, translated speaks another one. */
const providers: Record<WireFormat, { passthrough: FakeUpstreamKind; translated: FakeUpstreamKind }> = {
  anthropic: { passthrough: 'anthropic', translated: 'openai' },
  'openai-chat': { passthrough: 'openai', translated: 'anthropic' },
  'openai-responses': { passthrough: 'openai', translated: 'gemini' },
  gemini: { passthrough: 'gemini', translated: 'anthropic' },
};

/** The failure tail every client of the format receives, as event name (or data key) per SSE event. */
const expectedTail: Record<WireFormat, string[]> = {
  anthropic: ['event:error'],
  'openai-chat': ['data:error', 'data:[DONE]'],
  'openai-responses': ['event:error', 'event:response.failed'],
  gemini: ['data:error'],
};

async function engineBreakingAfter(kind: FakeUpstreamKind, afterChunks: number): Promise<RunningEngine> {
  const upstream = await startFakeUpstream(kind);
  cleanups.push(() => upstream.close());
  upstream.setHandler(() => ({ kind: 'break-mid-stream', afterChunks }));
  const running = await startEngine(
    { providers: [{ id: 'up', type: kind, baseUrl: upstream.url, keys: [{ id: 'k', secret: { env: 'K' } }] }] },
    { env: { K: 'sk-fake-upstream-key-000000000000' } },
  );
  cleanups.push(() => running.stop());
  return running;
}

function rawRequest(running: RunningEngine, format: WireFormat): { path: string; body: Record<string, unknown>; headers: Record<string, string> } {
  const messages = [{ role: 'user', content: 'hi' }];
  switch (format) {
    case 'anthropic':
      return { path: '/v1/messages', body: { model: 'up/m', stream: true, max_tokens: 50, messages }, headers: { 'x-api-key': running.clientKey } };
    case 'openai-chat':
      return { path: '/v1/chat/completions', body: { model: 'up/m', stream: true, messages }, headers: { authorization: `Bearer ${running.clientKey}` } };
    case 'openai-responses':
      return { path: '/v1/responses', body: { model: 'up/m', stream: true, input: 'hi' }, headers: { authorization: `Bearer ${running.clientKey}` } };
    case 'gemini':
      return {
        path: '/v1beta/models/up/m:streamGenerateContent?alt=sse',
        body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
        headers: { 'x-goog-api-key': running.clientKey },
      };
  }
}

/** `event: name` or the first key of an unnamed data event, for each SSE event from the first error event on. */
function failureTail(text: string): string[] {
  const shapes = text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const name = /^event: (.+)$/m.exec(block)?.[1];
      if (name) return `event:${name}`;
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
      if (data === '[DONE]') return 'data:[DONE]';
      return `data:${Object.keys(JSON.parse(data) as object)[0] ?? ''}`;
    });
  const first = shapes.findIndex((shape) => shape === 'event:error' || shape === 'data:error');
  return first === -1 ? [] : shapes.slice(first);
}

/** What the format's official SDK raises while iterating the broken stream. */
async function sdkFailure(running: RunningEngine, format: WireFormat): Promise<unknown> {
  try {
    if (format === 'anthropic') {
      const client = new Anthropic({ apiKey: running.clientKey, baseURL: running.url, maxRetries: 0 });
      for await (const _event of await client.messages.create({ model: 'up/m', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] }));
    } else if (format === 'openai-chat') {
      const client = new OpenAI({ apiKey: running.clientKey, baseURL: `${running.url}/v1`, maxRetries: 0 });
      for await (const _chunk of await client.chat.completions.create({ model: 'up/m', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
    } else if (format === 'openai-responses') {
      const client = new OpenAI({ apiKey: running.clientKey, baseURL: `${running.url}/v1`, maxRetries: 0 });
      for await (const _event of await client.responses.create({ model: 'up/m', stream: true, input: 'hi' }));
    } else {
      const ai = new GoogleGenAI({ apiKey: running.clientKey, httpOptions: { baseUrl: running.url, retryOptions: { attempts: 1 } } });
      for await (const _chunk of await ai.models.generateContentStream({ model: 'up/m', contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }));
    }
  } catch (error) {
    return error;
  }
  return undefined;
}

const formats: WireFormat[] = ['anthropic', 'openai-chat', 'openai-responses', 'gemini'];

describe('stream failure tails', () => {
  for (const format of formats) {
    it(`${format}: passthrough and translated streams end with the same failure tail`, async () => {
      const tails: Record<string, string[]> = {};
      for (const path of ['passthrough', 'translated'] as const) {
        const running = await engineBreakingAfter(providers[format][path], 3);
        const request = rawRequest(running, format);
        const response = await fetch(`${running.url}${request.path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...request.headers },
          body: JSON.stringify(request.body),
          signal: AbortSignal.timeout(10_000),
        });
        expect(response.status).toBe(200);
        tails[path] = failureTail(await response.text());
      }
      expect(tails.passthrough).toEqual(expectedTail[format]);
      expect(tails.translated).toEqual(expectedTail[format]);
    });

    it(`${format}: the official SDK raises the failure on both paths`, async () => {
      for (const path of ['passthrough', 'translated'] as const) {
        const running = await engineBreakingAfter(providers[format][path], 3);
        const error = await sdkFailure(running, format);
        expect(error, `${path} stream must not end as a success`).toBeInstanceOf(Error);
        // The SDKs raise the error event itself (not a parse failure), carrying Switchyard's message.
        expect(String((error as Error).message)).toMatch(/up: /);
      }
    });
  }
});
