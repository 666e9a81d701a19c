import { afterAll, beforeAll, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { encodeEnvelope } from '../../../main/core/formats/canonical/reasoning-envelope.ts';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';

// A Claude Code conversation that was served by Gemini (through translation) and now falls back to Anthropic
// itself: the history holds Gemini's reasoning inside our envelopes, which Anthropic would reject as invalid
// signatures. Passthrough removes exactly those blocks; genuine thinking blocks and everything else stay.

let upstream: FakeUpstream;
let running: RunningEngine;

beforeAll(async () => {
  upstream = await startFakeUpstream('anthropic');
  running = await startEngine(
    { providers: [{ id: 'claude', type: 'anthropic', baseUrl: upstream.url, keys: [{ id: 'k', secret: { env: 'K' } }] }] },
    { env: { K: 'fake-ant-upstream-key-0000000000000000' } },
  );
});

afterAll(async () => {
  await running?.stop();
  await upstream?.close();
});

it('drops reasoning from another family before passing a body through, and only then rewrites it', async () => {
  const client = new Anthropic({ apiKey: running.clientKey, baseURL: running.url, maxRetries: 0 });
  const foreign = encodeEnvelope({ reasoning: [{ origin: 'gemini', text: 'gemini thought', signature: 'Z2VtaW5pLXNpZw==' }] });
  const messages: Anthropic.MessageParam[] = [
    { role: 'user', content: 'first question' },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'gemini thought', signature: foreign },
        { type: 'text', text: 'first answer' },
      ],
    },
    { role: 'user', content: 'second question' },
    { role: 'assistant', content: [{ type: 'thinking', thinking: 'real claude thinking', signature: 'EqQBCkYIBxgCKkBreal' }, { type: 'text', text: 'second answer' }] },
    { role: 'user', content: 'third question' },
  ];
  await client.messages.create({ model: 'claude/claude-sonnet-4-5', max_tokens: 100, messages });
  const sent = upstream.requests.at(-1)!.json as { model: string; messages: Array<{ content: unknown }> };
  expect(sent.model).toBe('claude-sonnet-4-5');
  expect(sent.messages[1]!.content).toEqual([{ type: 'text', text: 'first answer' }]);
  expect(sent.messages[3]!.content).toEqual([{ type: 'thinking', thinking: 'real claude thinking', signature: 'EqQBCkYIBxgCKkBreal' }, { type: 'text', text: 'second answer' }]);
  expect(running.logs.join('\n')).toContain('removed 1 reasoning part(s) produced by another provider family');

  // Without envelopes, the bytes still go through untouched.
  const plain = JSON.stringify({ model: 'claude/claude-sonnet-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }, null, 3);
  await fetch(`${running.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': running.clientKey, 'content-type': 'application/json' }, body: plain });
  expect(upstream.requests.at(-1)!.body.toString()).toBe(plain.replace('"claude/claude-sonnet-4-5"', '"claude-sonnet-4-5"'));
});
