import { randomUUID } from 'node:crypto';
import { createExecutionGuard } from '../../../main/core/guard/execution-guard.ts';
import type { ExecutionGuard, GuardProvider, GuardRequest } from '../../../main/core/guard/guard-contract.ts';
import type { Clock } from '../../../main/core/guard/clock.ts';
import type { GuardEvent } from '../../../main/core/guard/guard-events.ts';
import type { ManualClock } from '../../helpers/manual-clock.ts';
import type { RedisStateStoreOptions } from '../../../main/core/guard/shared-state/redis-state-store.ts';
import { RedisStateStore } from '../../../main/core/guard/shared-state/redis-state-store.ts';

export interface SharedGuard {
  guard: ExecutionGuard;
  store: RedisStateStore;
  events: GuardEvent[];
}

/** Several guards in one process, each with its own connection to one Redis, as separate instances would be. */
export async function startSharedGuards(
  count: number,
  options: { url: string; clock: Clock; providers: GuardProvider[]; keyPrefix?: string; store?: Partial<RedisStateStoreOptions> },
): Promise<SharedGuard[]> {
  const keyPrefix = options.keyPrefix ?? `test-${randomUUID()}`;
  const guards: SharedGuard[] = [];
  for (let index = 0; index < count; index += 1) {
    const store = new RedisStateStore({ url: options.url, keyPrefix, clock: options.clock, instanceId: `instance-${index}-${randomUUID()}`, ...options.store });
    const events: GuardEvent[] = [];
    const guard = createExecutionGuard({ clock: options.clock, random: () => 0.5, sharedState: store, events: (event) => events.push(event) });
    guard.configure(options.providers);
    guards.push({ guard, store, events });
  }
  for (const { store } of guards) {
    if (!(await store.waitUntilShared(5_000))) throw new Error(`instance could not share through Redis: ${store.status().warning}`);
  }
  return guards;
}

export function request(providerId: string, overrides: Partial<GuardRequest> = {}): GuardRequest {
  return { providerId, model: 'test-model', stream: false, estimatedInputTokens: () => 10, signal: new AbortController().signal, ...overrides };
}

/** Real milliseconds, for Redis answers to arrive while the manual clock stands still. */
export function realDelay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Moves the manual clock from timer to timer (the guards' queue timers and heartbeats), letting real Redis answers
 * in between, until `done()` or a bound on steps and real time.
 */
export async function runClockUntil(clock: ManualClock, guards: SharedGuard[], done: () => boolean, bounds = { steps: 5_000, realMs: 30_000 }): Promise<void> {
  const deadline = Date.now() + bounds.realMs;
  // Time only moves when no instance waits for Redis, so every admission is decided at the instant it was asked.
  const quiet = async () => {
    for (let rounds = 0; rounds < 3; ) {
      if (Date.now() > deadline) throw new Error('the clock-driven run took too long in real time');
      await realDelay(1);
      rounds = guards.every(({ store }) => store.inProgress === 0) ? rounds + 1 : 0;
    }
  };
  for (let step = 0; step < bounds.steps && !done(); step += 1) {
    await quiet();
    if (done()) return;
    if (!(await clock.runNext())) await realDelay(5);
  }
  if (!done()) throw new Error('the clock-driven run did not finish within its step bound');
}

/** The most sends inside any window of `windowMs` (a send at exactly `windowMs` after another is outside). */
export function mostInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while (sorted[end]! - sorted[start]! >= windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
