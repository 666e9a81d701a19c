import type { KeyStrategy } from '../../../shared/config/guard-schema.ts';
import type { KeyRuntime } from './key-runtime.ts';
import type { TokenEstimate } from './rate-limiter.ts';
import type { StrategyState } from './key-strategy.ts';
import { pickKey } from './key-strategy.ts';

export interface KeyDemand {
  model: string;
  tokens: TokenEstimate;
  /** Keys this run already tried: others are preferred, but a tried key is still used when it is the only one. */
  avoid: ReadonlySet<string>;
  /** When set, only these keys may serve (a combo entry restricted to some of the provider's keys). */
  only?: ReadonlySet<string>;
  /** The latest time worth waiting for a key. */
  deadline: number;
}

export type KeyChoice =
  | { kind: 'key'; key: KeyRuntime }
  /** Some key may serve before the deadline: at `until`, or when a send finishes (`until` = +Infinity). */
  | { kind: 'wait'; until: number }
  /** No key can serve before the deadline. `availableAt` is when one could (+Infinity: none ever will without a change). */
  | { kind: 'none'; availableAt: number; detail: string };

/**
 * The key pool (docs/guard.md): among the keys usable right now (enabled, not disabled by a
 * 401/403, not cooling after a 429, not exhausted for this model, breaker passable, within their limits and
 * concurrency), the strategy picks one.
 */
export function chooseKey(
  keys: readonly KeyRuntime[],
  demand: KeyDemand,
  now: number,
  strategy: KeyStrategy,
  state: StrategyState,
  random: () => number,
): KeyChoice {
  let usable: KeyRuntime[] | undefined;
  let untried: KeyRuntime[] | undefined;
  let waitUntil = Number.POSITIVE_INFINITY;
  let canWait = false;
  let laterAt = Number.POSITIVE_INFINITY;
  const eligible = demand.only ? keys.filter((key) => demand.only!.has(key.id)) : keys;
  for (const key of eligible) {
    if (key.outOfService) continue;
    const at = key.availableAt(now, demand.model, demand.tokens);
    const busy = key.inFlight >= key.maxConcurrent;
    if (at <= now && !busy) {
      (usable ??= []).push(key);
      if (!demand.avoid.has(key.id)) (untried ??= []).push(key);
    } else if (at <= demand.deadline || at === Number.POSITIVE_INFINITY) {
      // Frees up in time, or when a send (or a breaker probe) on it finishes.
      canWait = true;
      if (!busy) waitUntil = Math.min(waitUntil, at);
    } else {
      laterAt = Math.min(laterAt, at);
    }
  }
  if (usable) return { kind: 'key', key: pickKey(strategy, untried ?? usable, state, random) };
  if (canWait) return { kind: 'wait', until: waitUntil };
  if (demand.only && eligible.length === 0) return { kind: 'none', availableAt: laterAt, detail: `none of the keys ${[...demand.only].join(', ')} exists` };
  return { kind: 'none', availableAt: laterAt, detail: describeUnusable(eligible, demand.model, now) };
}

function describeUnusable(keys: readonly KeyRuntime[], model: string, now: number): string {
  if (keys.length === 0) return 'no keys configured';
  const reasons = keys.map((key) => {
    if (!key.enabled) return `${key.id}: switched off`;
    if (key.account?.state === 'sign-in-again') return `${key.id}: must sign in again (${key.account.stateReason ?? 'the vendor refused its sign-in'})`;
    if (key.disabledReason !== undefined) return `${key.id}: disabled (${key.disabledReason})`;
    if (key.quotaExhaustedUntil(now) > now) return `${key.id}: subscription quota used up until ${new Date(key.quotaExhaustedUntil(now)).toISOString()}`;
    if (key.exhaustedUntil(model, now) > now) return `${key.id}: quota exhausted for ${model}`;
    if (key.coolingUntil > now) return `${key.id}: cooling down`;
    return `${key.id}: over its limits`;
  });
  return reasons.join('; ');
}
