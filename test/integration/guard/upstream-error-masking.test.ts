import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';

// Some upstreams quote the key they were sent in their error text ("Incorrect API key provided: sk-…"). That text
// must never carry the key to the client, the guard's disabled reason, the management API or the logs.

const keyOne = 'fake-openai-key-quoted-in-errors-000001';
const keyTwo = 'sk-fake-second-key-that-the-upstream-quotes-02';
let upstream: FakeUpstream;
let running: RunningEngine;

beforeAll(async () => {
  upstream = await startFakeUpstream('openai');
  upstream.setHandler((request) => ({ kind: 'error', status: 401, message: `Incorrect API key provided: ${request.credential}. You can find your API key at the dashboard.`, type: 'invalid_request_error' }));
  running = await startEngine(
    { providers: [{ id: 'oai', type: 'openai', baseUrl: upstream.url, keys: [{ id: 'one', secret: { env: 'ONE' } }, { id: 'two', secret: { env: 'TWO' } }] }] },
    { env: { ONE: keyOne, TWO: keyTwo } },
  );
});

afterAll(async () => {
  await running?.stop();
  await upstream?.close();
});

it('masks every held credential in upstream error text, wherever the text goes', async () => {
  const openai = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: running.clientKey, maxRetries: 0 });
  const failure = await openai.chat.completions.create({ model: 'oai/gpt-test', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(OpenAI.APIError);
  const anthropic = new Anthropic({ baseURL: running.url, apiKey: running.clientKey, maxRetries: 0 });
  const translated = await anthropic.messages.create({ model: 'oai/gpt-test', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
  expect(translated).toBeInstanceOf(Anthropic.APIError);
  // Both keys were tried and quoted by the upstream.
  expect(new Set(upstream.requests.map((request) => request.credential))).toEqual(new Set([keyOne, keyTwo]));

  const seen = [
    String((failure as Error).message),
    JSON.stringify((failure as InstanceType<typeof OpenAI.APIError>).error),
    String((translated as Error).message),
    JSON.stringify(running.engine.guard.snapshot()),
    ...(await Promise.all(['/api/guard/snapshot', '/api/providers/list', '/api/status'].map(async (path) => (await fetch(`${running.url}${path}`, { headers: { authorization: `Bearer ${running.managementToken}` } })).text()))),
    running.logs.join('\n'),
  ].join('\n');
  expect(seen).toContain('Incorrect API key provided');
  expect(seen).not.toContain(keyOne);
  expect(seen).not.toContain(keyTwo);
  expect(seen).not.toContain(keyOne.slice(0, 20));
  expect(seen).toContain(`****${keyOne.slice(-4)}`);
});
