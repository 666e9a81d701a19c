import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../helpers/manual-clock.ts';
import type { GuardedEngine } from './guarded-engine.ts';
import { askAnthropic, askOpenai, startGuardedEngine, waitFor } from './guarded-engine.ts';
import type { LimitedUpstream } from './limited-upstream.ts';
import { startLimitedUpstream } from './limited-upstream.ts';
import { stopEverythingStarted } from './stop-after-each.ts';

// Issue 4, item 3k: the provider's rate-limit headers (anthropic-ratelimit-*, x-ratelimit-*) slow a key down before
// it would hit a 429. No limits are configured: everything the guard knows comes from the headers.

const start = Date.UTC(2026, 0, 1); // a multiple of the provider's 10 s window
const windowMs = 10_000;
let engine: GuardedEngine | undefined;
let provider: LimitedUpstream | undefined;

afterEach(stopEverythingStarted);

describe.each(['anthropic', 'openai'] as const)('%s rate-limit headers', (kind) => {
  it('learns the budget from the first answer and holds later requests until the window resets: no 429', async () => {
    const clock = new ManualClock(start);
    const secret = `sk-${kind}-learned-key-000000000000ffff`;
    provider = await startLimitedUpstream(kind, {
      now: () => clock.now(),
      keys: { [secret]: 'k' },
      limits: { headerWindow: { limit: 5, windowMs, style: kind } },
    });
    engine = await startGuardedEngine(
      { providers: [{ id: 'up', type: kind, baseUrl: provider.upstream.url, keys: [{ id: 'k', secret: { env: 'KEY' } }], queue: { maxWaitMs: 60_000 } }] },
      { env: { KEY: secret }, clock },
    );
    const ask = () => (kind === 'anthropic' ? askAnthropic(engine!.running, 'up/claude-sonnet-4-5') : askOpenai(engine!.running, 'up/gpt-5'));
    expect((await ask()).status).toBe(200);
    expect(engine.provider('up').keys[0]!.learned?.requests).toMatchObject({ remaining: 4, resetAt: start + windowMs });

    const total = 10;
    let answered = 0;
    const answers = Array.from({ length: total }, () => ask().then((answer) => ((answered += 1), answer)));
    const idle = () => {
      const snapshot = engine!.provider('up');
      return snapshot.inFlight === 0 && provider!.upstream.active === 0 && answered + snapshot.queueDepth === total;
    };
    for (let step = 0; step < 20 && answered < total; step += 1) {
      await waitFor(idle, 'the engine is idle');
      if (answered === total) break;
      expect(await clock.runNext()).toBe(true);
    }
    expect((await Promise.all(answers)).map((answer) => answer.status)).toEqual(Array(total).fill(200));
    expect(provider.violations).toBe(0);
    // 5 per window: 1 + 4 in the first, 5 in the second, the last one in the third.
    expect(provider.arrivals.map((arrival) => Math.floor((arrival.at - start) / windowMs))).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2]);
  });
});
