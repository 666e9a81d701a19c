import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../helpers/manual-clock.ts';
import type { GuardedEngine } from './guarded-engine.ts';
import { startGuardedEngine, waitFor } from './guarded-engine.ts';
import type { LimitedUpstream } from './limited-upstream.ts';
import { startLimitedUpstream } from './limited-upstream.ts';
import { stopEverythingStarted } from './stop-after-each.ts';

// Issue 4, item 1: every request to any provider goes through the guard. Proven by counting: after a mixed workload
// (every inbound API, streams and not, token counting, retries, key rotation, disabled keys, combos falling through,
// dedup, client-side errors), each provider saw exactly as many requests, per key, as the guard admitted.

const start = Date.UTC(2026, 0, 1);
const secrets = {
  claude: ['fake-ant-bypass-key-0000000000000001', 'fake-ant-bypass-key-0000000000000002'],
  gpt: ['sk-openai-bypass-key-00000000000001', 'sk-openai-bypass-key-00000000000002'],
  gem: ['gemini-bypass-key-0000000000000001', 'gemini-bypass-key-0000000000000002'],
};
const clock = new ManualClock(start);
let engine: GuardedEngine;
const upstreams: Record<'claude' | 'gpt' | 'gem', LimitedUpstream> = {} as never;

beforeAll(async () => {
  const kinds = { claude: 'anthropic', gpt: 'openai', gem: 'gemini' } as const;
  for (const id of ['claude', 'gpt', 'gem'] as const) {
    upstreams[id] = await startLimitedUpstream(kinds[id], { now: () => clock.now(), keys: { [secrets[id][0]!]: 'k1', [secrets[id][1]!]: 'k2' } });
  }
  const env: Record<string, string> = {};
  const providers = (['claude', 'gpt', 'gem'] as const).map((id) => {
    env[`${id.toUpperCase()}_1`] = secrets[id][0]!;
    env[`${id.toUpperCase()}_2`] = secrets[id][1]!;
    return {
      id,
      type: kinds[id],
      baseUrl: upstreams[id].upstream.url,
      keys: [
        { id: 'k1', secret: { env: `${id.toUpperCase()}_1` } },
        { id: 'k2', secret: { env: `${id.toUpperCase()}_2` } },
      ],
      dedup: { enabled: true },
      retry: { baseDelayMs: 0 },
    };
  });
  engine = await startGuardedEngine({ providers, combos: [{ name: 'chain', targets: ['claude/claude-sonnet-4-5', 'claude/claude-haiku-4-5'] }] }, { env, clock });
});

afterAll(stopEverythingStarted);

async function call(path: string, body: unknown, auth: Record<string, string>) {
  const response = await fetch(`${engine.running.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) });
  await response.text();
  return response.status;
}

describe('no path to a provider bypasses the guard', () => {
  it('sends counted at each fake provider equal the guard\'s admissions, per key', async () => {
    const anthropic = { 'x-api-key': engine.running.clientKey };
    const openai = { authorization: `Bearer ${engine.running.clientKey}` };
    const gemini = { 'x-goog-api-key': engine.running.clientKey };
    const messages = [{ role: 'user', content: 'hi' }];
    // Scripted trouble: some 429s, 5xx, a 401 and a 400, spread over providers.
    let claudeCalls = 0;
    upstreams.claude.setReply((request) => {
      claudeCalls += 1;
      if (request.model === 'claude-sonnet-4-5' && claudeCalls % 5 === 0) return { kind: 'error', status: 529, message: 'overloaded' };
      if (claudeCalls === 3) return { kind: 'error', status: 429, message: 'slow down', headers: { 'retry-after': '0' } };
      return { kind: 'text' };
    });
    let gptCalls = 0;
    upstreams.gpt.setReply((request) => {
      gptCalls += 1;
      if (request.credential === secrets.gpt[1]) return { kind: 'error', status: 401, message: 'bad key' };
      if (gptCalls === 4) return { kind: 'error', status: 400, message: 'bad request' };
      return { kind: 'text' };
    });
    upstreams.gem.setReply((_request, index) => (index % 4 === 1 ? { kind: 'error', status: 503, message: 'unavailable' } : { kind: 'text' }));

    const statuses: number[] = [];
    for (let round = 0; round < 4; round += 1) {
      const batch = [
        call('/v1/messages', { model: 'claude/claude-sonnet-4-5', max_tokens: 16, messages }, anthropic),
        call('/v1/messages', { model: 'claude/claude-sonnet-4-5', max_tokens: 16, stream: true, messages }, anthropic),
        call('/v1/messages/count_tokens', { model: 'claude/claude-sonnet-4-5', messages }, anthropic),
        call('/v1/messages', { model: 'chain', max_tokens: 16, messages: [{ role: 'user', content: `combo ${round}` }] }, anthropic),
        call('/v1/chat/completions', { model: 'gpt/gpt-5', messages }, openai),
        call('/v1/chat/completions', { model: 'gpt/gpt-5', stream: true, messages }, openai),
        call('/v1/responses', { model: 'gpt/gpt-5', input: 'hi' }, openai),
        call('/v1/responses', { model: 'gpt/gpt-5', input: 'hi', stream: true }, openai),
        call('/v1beta/models/gem/gemini-2.5-flash:generateContent', { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }, gemini),
        call('/v1beta/models/gem/gemini-2.5-flash:streamGenerateContent?alt=sse', { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }, gemini),
        call('/v1beta/models/gem/gemini-2.5-flash:countTokens', { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }, gemini),
        // Identical non-streaming requests: dedup may merge them, and then both sides count one send.
        ...Array.from({ length: 3 }, () => call('/v1/messages', { model: 'claude/claude-haiku-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'twin' }] }, anthropic)),
      ];
      // Retries wait on the guard's clock: let them run.
      let settled = false;
      const all = Promise.all(batch).then((results) => {
        settled = true;
        return results;
      });
      for (let step = 0; step < 50 && !settled; step += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (!settled) await clock.advance(1_000);
      }
      statuses.push(...(await all));
    }
    await waitFor(() => engine.guard.snapshot().providers.every((provider) => provider.inFlight === 0), 'every send finished');

    expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(statuses.length / 2);
    const snapshot = engine.guard.snapshot();
    let total = 0;
    for (const id of ['claude', 'gpt', 'gem'] as const) {
      const provider = snapshot.providers.find((candidate) => candidate.id === id)!;
      const arrivals = upstreams[id].arrivals;
      expect(arrivals.every((arrival) => arrival.keyId === 'k1' || arrival.keyId === 'k2')).toBe(true);
      expect(arrivals.length).toBe(provider.requests);
      for (const key of provider.keys) expect(arrivals.filter((arrival) => arrival.keyId === key.id).length).toBe(key.requests);
      total += arrivals.length;
    }
    expect(total).toBeGreaterThan(40);
    // The trouble really happened (so the counting covers retries, rotation and disabled keys).
    const gpt = snapshot.providers.find((provider) => provider.id === 'gpt')!;
    expect(gpt.keys.find((key) => key.id === 'k2')!.state).toBe('disabled');
    expect(snapshot.providers.find((provider) => provider.id === 'claude')!.errors).toBeGreaterThan(0);
    expect(snapshot.providers.find((provider) => provider.id === 'gem')!.errors).toBeGreaterThan(0);
  });
});
