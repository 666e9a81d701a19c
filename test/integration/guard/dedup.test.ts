import { afterEach, describe, expect, it } from 'vitest';
import type { GuardedEngine } from './guarded-engine.ts';
import { askAnthropic, startGuardedEngine, waitFor } from './guarded-engine.ts';
import type { LimitedUpstream } from './limited-upstream.ts';
import { startLimitedUpstream } from './limited-upstream.ts';
import { stopEverythingStarted } from './stop-after-each.ts';

// Issue 4, item 3j: with dedup on, 10 identical concurrent non-streaming requests make one upstream call and get
// ten correct answers.

const secret = 'fake-ant-dedup-key-00000000000000dddd';
let engine: GuardedEngine | undefined;
let provider: LimitedUpstream | undefined;

afterEach(stopEverythingStarted);

/** One Anthropic provider with one key and dedup on. */
async function startDedupingProvider(): Promise<{ provider: LimitedUpstream; engine: GuardedEngine }> {
  const upstream = await startLimitedUpstream('anthropic', { now: () => performance.now(), keys: { [secret]: 'k' } });
  const started = await startGuardedEngine(
    { providers: [{ id: 'claude', type: 'anthropic', baseUrl: upstream.upstream.url, keys: [{ id: 'k', secret: { env: 'KEY' } }], dedup: { enabled: true } }] },
    { env: { KEY: secret } },
  );
  return { provider: upstream, engine: started };
}

describe('dedup of identical in-flight requests', () => {
  it('10 identical concurrent requests: one upstream call, ten answers; a different request is not shared', async () => {
    ({ provider, engine } = await startDedupingProvider());
    const { promise: held, resolve: release } = Promise.withResolvers<void>();
    provider.setReply(async (request) => {
      if (request.json?.messages && JSON.stringify(request.json.messages).includes('same question')) await held;
      return { kind: 'text', text: `answer to ${JSON.stringify(request.json?.messages)}` };
    });
    const same = Array.from({ length: 10 }, () => askAnthropic(engine!.running, 'claude/claude-sonnet-4-5', { content: 'same question' }));
    await waitFor(() => engine!.provider('claude').dedupCallers === 10, 'all ten share one call');
    const other = await askAnthropic(engine.running, 'claude/claude-sonnet-4-5', { content: 'another question' });
    expect(other.json?.content[0].text).toContain('another question');
    release();
    const answers = await Promise.all(same);
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    for (const answer of answers) {
      expect(answer.json).toMatchObject({ type: 'message', role: 'assistant', model: 'claude-sonnet-4-5' });
      expect(answer.json?.content[0].text).toContain('same question');
    }
    expect(provider.arrivals.filter((arrival) => JSON.stringify(arrival.request.json).includes('same question'))).toHaveLength(1);
    expect(provider.arrivals).toHaveLength(2);
    expect(engine.provider('claude').requests).toBe(2);
  });

  it('does not share an answer between requests that differ only in a forwarded header (anthropic-beta)', async () => {
    ({ provider, engine } = await startDedupingProvider());
    const { promise: held, resolve: release } = Promise.withResolvers<void>();
    provider.setReply(async (request) => {
      await held;
      return { kind: 'text', text: `betas: ${String(request.headers['anthropic-beta'] ?? 'none')}` };
    });
    const plain = [askAnthropic(engine.running, 'claude/claude-sonnet-4-5'), askAnthropic(engine.running, 'claude/claude-sonnet-4-5')];
    const withBeta = askAnthropic(engine.running, 'claude/claude-sonnet-4-5', { headers: { 'anthropic-beta': 'context-1m-2025-08-07' } });
    // Three callers in flight, but only two upstream calls: the plain pair shares one, the beta request has its own.
    await waitFor(() => provider!.arrivals.length === 2 && engine!.provider('claude').dedupCallers === 3, 'three callers on two upstream calls');
    release();
    const [first, second, beta] = await Promise.all([...plain, withBeta]);
    expect(first!.json?.content[0].text).toBe('betas: none');
    expect(second!.json?.content[0].text).toBe('betas: none');
    expect(beta!.json?.content[0].text).toBe('betas: context-1m-2025-08-07');
    expect(provider.arrivals).toHaveLength(2);
  });

  it('never shares streams', async () => {
    ({ provider, engine } = await startDedupingProvider());
    const answers = await Promise.all(Array.from({ length: 3 }, () => askAnthropic(engine!.running, 'claude/claude-sonnet-4-5', { stream: true })));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(provider.arrivals).toHaveLength(3);
  });
});
