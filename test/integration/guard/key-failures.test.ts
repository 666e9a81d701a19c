import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../helpers/manual-clock.ts';
import type { GuardedEngine } from './guarded-engine.ts';
import { askAnthropic, askGemini } from './guarded-engine.ts';
import type { LimitedUpstream } from './limited-upstream.ts';
import { startTwoKeyProvider } from './two-key-setup.ts';
import { stopEverythingStarted } from './stop-after-each.ts';

// Issue 4, items 3c and 3d: a key that is rate limited cools for exactly the provider's hint while another key
// serves the same request; a spent per-day quota marks the key exhausted until the quota resets; 401/403 disable a
// key (with its reason) until it is re-enabled, and the other keys serve.

const start = Date.UTC(2026, 0, 1, 0, 0, 0); // 16:00 on Dec 31 in Los Angeles
const secrets = { a: 'sk-key-failures-aaaaaaaaaaaaaaaa1111', b: 'sk-key-failures-bbbbbbbbbbbbbbbb2222' };
let engine: GuardedEngine | undefined;
let provider: LimitedUpstream | undefined;

afterEach(stopEverythingStarted);

async function setup(kind: 'anthropic' | 'gemini') {
  const clock = new ManualClock(start);
  ({ provider, engine } = await startTwoKeyProvider({ kind, id: kind === 'anthropic' ? 'claude' : 'gem', secrets, now: () => clock.now(), clock }));
  return { clock, provider, engine };
}

const keysUsed = (from: number) => provider!.arrivals.slice(from).map((arrival) => arrival.keyId);

describe('a rate-limited key cools for the provider\'s hint; the request moves to another key at once', () => {
  it('Anthropic 429 with retry-after: 2', async () => {
    const { clock, engine } = await setup('anthropic');
    provider!.setReply((_request, index) => (index === 0 ? { kind: 'error', status: 429, message: 'slow down', headers: { 'retry-after': '2' } } : { kind: 'text' }));
    const answer = await askAnthropic(engine.running, 'claude/claude-sonnet-4-5');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-switchyard-attempts')).toBe('2');
    expect(keysUsed(0)).toEqual(['a', 'b']);
    expect(provider!.arrivals[1]!.at).toBe(start);
    const key = engine.provider('claude').keys.find((candidate) => candidate.id === 'a')!;
    expect(key).toMatchObject({ state: 'cooling', coolingUntil: start + 2000, rateLimited: 1 });
    expect(engine.events).toContainEqual(expect.objectContaining({ type: 'key-cooling', providerId: 'claude', keyId: 'a', until: start + 2000 }));
    // While it cools, everything goes to b; from its hint on, a is back in the rotation.
    await askAnthropic(engine.running, 'claude/claude-sonnet-4-5');
    await askAnthropic(engine.running, 'claude/claude-sonnet-4-5');
    expect(keysUsed(2)).toEqual(['b', 'b']);
    await clock.advance(2000);
    await askAnthropic(engine.running, 'claude/claude-sonnet-4-5');
    await askAnthropic(engine.running, 'claude/claude-sonnet-4-5');
    expect(keysUsed(4).sort()).toEqual(['a', 'b']);
  });

  it('Gemini 429 with RetryInfo.retryDelay "2.5s" in the body', async () => {
    const { engine } = await setup('gemini');
    provider!.setReply((_request, index) =>
      index === 0
        ? {
            kind: 'error',
            status: 429,
            body: {
              error: {
                code: 429,
                status: 'RESOURCE_EXHAUSTED',
                message: 'Resource has been exhausted (e.g. check quota).',
                details: [
                  {
                    '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
                    violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }],
                  },
                  { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2.5s' },
                ],
              },
            },
          }
        : { kind: 'text' },
    );
    const answer = await askGemini(engine.running, 'gem/gemini-2.5-flash');
    expect(answer.status).toBe(200);
    expect(answer.json?.candidates).toHaveLength(1);
    expect(keysUsed(0)).toEqual(['a', 'b']);
    expect(engine.provider('gem').keys.find((key) => key.id === 'a')).toMatchObject({ state: 'cooling', coolingUntil: start + 2500 });
  });
});

describe('a spent per-day quota', () => {
  it('marks the key exhausted for that model until midnight Pacific instead of retrying it', async () => {
    const { clock, engine } = await setup('gemini');
    const perDay = {
      kind: 'error' as const,
      status: 429,
      body: {
        error: {
          code: 429,
          status: 'RESOURCE_EXHAUSTED',
          message: 'You exceeded your current quota. Please retry in 54.88s.',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
              violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier', quotaValue: '250' }],
            },
            { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '54s' },
          ],
        },
      },
    };
    const midnightPacific = Date.UTC(2026, 0, 1, 8, 0, 0);
    // Key a has spent its gemini-2.5-pro quota for the day (the provider's day ends at midnight Pacific).
    provider!.setReply((request) =>
      request.credential === secrets.a && request.model === 'gemini-2.5-pro' && clock.now() < midnightPacific ? perDay : { kind: 'text' },
    );
    const answer = await askGemini(engine.running, 'gem/gemini-2.5-pro');
    expect(answer.status).toBe(200);
    expect(keysUsed(0)).toEqual(['a', 'b']);
    const key = engine.provider('gem').keys.find((candidate) => candidate.id === 'a')!;
    expect(key).toMatchObject({ state: 'exhausted', exhaustedUntil: midnightPacific });
    expect(key.exhausted).toEqual([expect.objectContaining({ model: 'gemini-2.5-pro', until: midnightPacific })]);
    expect(engine.events).toContainEqual(expect.objectContaining({ type: 'key-exhausted', keyId: 'a', model: 'gemini-2.5-pro', until: midnightPacific }));
    // The exhausted key is not tried again for that model, not even after its 54 s retry hint...
    await clock.advance(60_000);
    for (let index = 0; index < 3; index += 1) expect((await askGemini(engine.running, 'gem/gemini-2.5-pro')).status).toBe(200);
    expect(keysUsed(2)).toEqual(['b', 'b', 'b']);
    // ...but it still serves other models (quotas are per model),
    await askGemini(engine.running, 'gem/gemini-2.5-flash');
    await askGemini(engine.running, 'gem/gemini-2.5-flash');
    expect(keysUsed(5).sort()).toEqual(['a', 'b']);
    // ...and serves that model again once the quota has reset.
    await clock.advanceTo(midnightPacific);
    await askGemini(engine.running, 'gem/gemini-2.5-pro');
    await askGemini(engine.running, 'gem/gemini-2.5-pro');
    expect(keysUsed(7).sort()).toEqual(['a', 'b']);
  });
});

describe('a key the provider refuses (401/403)', () => {
  it.each([
    [401, 'invalid x-api-key'],
    [403, 'this key may not use this model'],
  ])('%i: disables the key with its reason until it is re-enabled; the others serve', async (status, message) => {
    const { engine } = await setup('anthropic');
    let refuseA = true;
    provider!.setReply((request) => (refuseA && request.credential === secrets.a ? { kind: 'error', status, message } : { kind: 'text' }));
    expect((await askAnthropic(engine.running, 'claude/claude-sonnet-4-5')).status).toBe(200);
    for (let index = 0; index < 5; index += 1) expect((await askAnthropic(engine.running, 'claude/claude-sonnet-4-5')).status).toBe(200);
    expect(keysUsed(0)).toEqual(['a', 'b', 'b', 'b', 'b', 'b', 'b']);
    const key = engine.provider('claude').keys.find((candidate) => candidate.id === 'a')!;
    expect(key.state).toBe('disabled');
    expect(key.disabledReason).toContain(String(status));
    expect(key.disabledReason).toContain(message);
    expect(engine.events).toContainEqual(expect.objectContaining({ type: 'key-disabled', keyId: 'a', key: 'a (…1111)' }));
    // Re-enabled through the management API (the user fixed the key).
    refuseA = false;
    const reset = await fetch(`${engine.running.url}/api/keys/reset`, {
      method: 'POST',
      headers: { authorization: `Bearer ${engine.running.managementToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ providerId: 'claude', keyId: 'a' }),
    });
    expect(reset.status).toBe(200);
    await askAnthropic(engine.running, 'claude/claude-sonnet-4-5');
    await askAnthropic(engine.running, 'claude/claude-sonnet-4-5');
    expect(keysUsed(7).sort()).toEqual(['a', 'b']);
  });
});
