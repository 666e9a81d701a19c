import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';

// Request shaping end to end: rules of the provider and of the combo edit what reaches the upstream; without a rule
// that changes something, same-format passthrough still sends the client's exact bytes.

let upstream: FakeUpstream;
let running: RunningEngine;

beforeAll(async () => {
  upstream = await startFakeUpstream('anthropic');
  const key = [{ id: 'k', secret: { env: 'KEY' } }];
  running = await startEngine(
    {
      providers: [
        { id: 'plain', type: 'anthropic', baseUrl: upstream.url, keys: key },
        { id: 'clamped', type: 'anthropic', baseUrl: upstream.url, keys: key, shaping: { clamps: [{ model: '*', maxOutputTokens: 8192 }] } },
        {
          id: 'shaped',
          type: 'anthropic',
          baseUrl: upstream.url,
          keys: key,
          shaping: {
            systemPrompt: { text: 'Answer in English.' },
            thinking: { mode: 'fixed', budgetTokens: 2048 },
            clamps: [{ model: 'small-*', maxOutputTokens: 4096 }],
          },
        },
      ],
      combos: [{ name: 'team', targets: ['shaped/small-model'], shaping: { systemPrompt: { text: 'Team rules apply.', position: 'append' } } }],
    },
    { env: { KEY: 'fake-ant-shaping-test-key-aaaaaaaaaaa' } },
  );
});

afterAll(async () => {
  await running?.stop();
  await upstream?.close();
});

async function send(body: string) {
  const response = await fetch(`${running.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': running.clientKey, 'anthropic-version': '2023-06-01' },
    body,
  });
  expect(response.status).toBe(200);
  await response.text();
  return upstream.requests.at(-1)!;
}

describe('request shaping', () => {
  it('without rules the client bytes go upstream untouched (odd spacing, key order, escapes and all)', async () => {
    const body = '{ "model":"plain/m1",\n  "max_tokens" : 64000, "system":"s\\u00e9",  "messages":[{"role":"user","content":"hi"}] }';
    const seen = await send(body);
    expect(seen.body.toString()).toBe(body.replace('"plain/m1"', '"m1"'));
  });

  it('a rule that changes nothing keeps the bytes too; one that does re-serialises once', async () => {
    const under = '{ "model":"clamped/m1", "max_tokens": 1000,  "messages":[{"role":"user","content":"hi"}] }';
    expect((await send(under)).body.toString()).toBe(under.replace('"clamped/m1"', '"m1"'));
    const over = '{ "model":"clamped/m1", "max_tokens": 64000,  "messages":[{"role":"user","content":"hi"}] }';
    const seen = await send(over);
    expect(seen.json).toEqual({ model: 'm1', max_tokens: 8192, messages: [{ role: 'user', content: 'hi' }] });
  });

  it("combo and provider rules apply in order: the combo's first, then the provider's, then the model clamp", async () => {
    const seen = await send(
      JSON.stringify({ model: 'team', max_tokens: 32000, thinking: { type: 'enabled', budget_tokens: 16000 }, system: 'Be brief.', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(seen.json).toMatchObject({
      model: 'small-model',
      system: 'Answer in English.\n\nBe brief.\n\nTeam rules apply.',
      max_tokens: 4096,
      thinking: { type: 'enabled', budget_tokens: 2048 },
    });
  });
});
