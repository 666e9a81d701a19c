import type { Clock } from '../../../main/core/guard/clock.ts';
import type { GuardedEngine } from './guarded-engine.ts';
import { startGuardedEngine } from './guarded-engine.ts';
import type { LimitedUpstream } from './limited-upstream.ts';
import { startLimitedUpstream } from './limited-upstream.ts';

/**
 * The setup most guard tests share: a limited upstream that knows two keys (ids `a` and `b`) and the guarded engine
 * with one provider `id` holding them, plus whatever guard settings the test is about. Both are stopped by
 * stopEverythingStarted.
 */
export async function startTwoKeyProvider(options: {
  kind: 'anthropic' | 'gemini';
  id: string;
  secrets: { a: string; b: string };
  now: () => number;
  clock?: Clock;
  settings?: Record<string, unknown>;
}): Promise<{ provider: LimitedUpstream; engine: GuardedEngine }> {
  const { secrets } = options;
  const provider = await startLimitedUpstream(options.kind, { now: options.now, keys: { [secrets.a]: 'a', [secrets.b]: 'b' } });
  const engine = await startGuardedEngine(
    {
      providers: [
        {
          id: options.id,
          type: options.kind,
          baseUrl: provider.upstream.url,
          keys: [
            { id: 'a', secret: { env: 'KEY_A' } },
            { id: 'b', secret: { env: 'KEY_B' } },
          ],
          ...options.settings,
        },
      ],
    },
    { env: { KEY_A: secrets.a, KEY_B: secrets.b }, ...(options.clock ? { clock: options.clock } : {}) },
  );
  return { provider, engine };
}
