import { afterAll, beforeAll, expect, it } from 'vitest';
import OpenAI from 'openai';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';

// A combo entry limited to some of a provider's keys ("team" traffic on the team key only) is honoured at the
// upstream: the other keys never appear there, even when the allowed key is rate-limited.

const secrets = { PERSONAL: 'sk-personal-key-000000000000000001', TEAM: 'sk-team-key-00000000000000000000002' };
let upstream: FakeUpstream;
let running: RunningEngine;

beforeAll(async () => {
  upstream = await startFakeUpstream('openai');
  running = await startEngine(
    {
      providers: [
        {
          id: 'oai',
          type: 'openai',
          baseUrl: upstream.url,
          keys: [
            { id: 'personal', secret: { env: 'PERSONAL' } },
            { id: 'team', secret: { env: 'TEAM' } },
          ],
          retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 },
        },
      ],
      combos: [{ name: 'team-only', targets: [{ target: 'oai/gpt-5.5', keys: ['team'] }] }],
    },
    { env: secrets },
  );
});

afterAll(async () => {
  await running?.stop();
  await upstream?.close();
});

it('sends combo traffic only with the keys its entry allows', async () => {
  const client = new OpenAI({ apiKey: running.clientKey, baseURL: `${running.url}/v1`, maxRetries: 0 });
  for (let index = 0; index < 6; index += 1) {
    await client.chat.completions.create({ model: 'team-only', messages: [{ role: 'user', content: `hi ${index}` }] });
  }
  // Direct provider/model requests may use either key (round-robin spreads them).
  for (let index = 0; index < 4; index += 1) await client.chat.completions.create({ model: 'oai/gpt-5.5', messages: [{ role: 'user', content: 'x' }] });
  const credentials = upstream.requests.map((request) => request.credential);
  expect(credentials.slice(0, 6)).toEqual(Array(6).fill(secrets.TEAM));
  expect(new Set(credentials.slice(6))).toEqual(new Set([secrets.PERSONAL, secrets.TEAM]));

  // The team key is rate-limited: the combo answers 429 instead of borrowing the personal key.
  upstream.setHandler(() => ({ kind: 'error', status: 429, message: 'slow down', headers: { 'retry-after': '30' } }));
  const before = upstream.requests.length;
  const error = await client.chat.completions.create({ model: 'team-only', messages: [{ role: 'user', content: 'again' }] }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(OpenAI.RateLimitError);
  expect(upstream.requests.slice(before).map((request) => request.credential)).toEqual([secrets.TEAM]);
});
