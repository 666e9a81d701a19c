import type { RateLimitHints, RemainingBudget } from './rate-limit-headers.ts';

/** Two resets this close together are the same provider window (relative resets jitter by the time a reply takes). */
const sameWindowToleranceMs = 1_000;

interface Budget extends RemainingBudget {
  /** When this budget was learned (or rolled over), to guess the length of the provider's window. */
  since: number;
}

/**
 * The provider's own view of a key's budget, learned from its rate-limit headers. Each admitted send spends from
 * it, so the key waits for the reset before the provider would answer 429, even when no limits are configured.
 * - Replies can come back out of order: within one window the remaining count only goes down, so the lower value
 *   wins; a later reset starts a new window.
 * - At the reset, when the provider told us the whole budget (`*-limit`), the next window starts with that budget
 *   (and a reset guessed from the last window's length) until a reply says more; without it, nothing is assumed.
 */
export class LearnedBudget {
  #requests: Budget | undefined;
  #tokens: Budget | undefined;

  /**
   * `othersInFlight`: sends on this key that may not be reflected in these headers yet (they left after this
   * request was counted upstream); they are taken off the remaining request budget to stay on the safe side.
   */
  observe(hints: RateLimitHints, othersInFlight: number, now: number): void {
    if (hints.requests) this.#requests = merge(this.#live('requests', now), { ...hints.requests, remaining: hints.requests.remaining - othersInFlight }, now);
    if (hints.tokens) this.#tokens = merge(this.#live('tokens', now), hints.tokens, now);
  }

  /** Whether a token budget is in force, i.e. whether sends need their token estimate. */
  countsTokens(now: number): boolean {
    return this.#live('tokens', now) !== undefined;
  }

  nextAllowedAt(now: number, tokens: number): number {
    let at = now;
    const requests = this.#live('requests', now);
    if (requests && requests.remaining <= 0) at = Math.max(at, requests.resetAt);
    const tokenBudget = this.#live('tokens', now);
    if (tokenBudget && (tokenBudget.remaining <= 0 || tokenBudget.remaining < tokens)) at = Math.max(at, tokenBudget.resetAt);
    return at;
  }

  record(now: number, tokens: number): void {
    const requests = this.#live('requests', now);
    if (requests) requests.remaining -= 1;
    const tokenBudget = this.#live('tokens', now);
    if (tokenBudget) tokenBudget.remaining -= tokens;
  }

  snapshot(now: number): { requests?: RemainingBudget; tokens?: RemainingBudget } | undefined {
    const requests = this.#live('requests', now);
    const tokens = this.#live('tokens', now);
    if (!requests && !tokens) return undefined;
    const plain = (budget: Budget): RemainingBudget => ({ remaining: budget.remaining, resetAt: budget.resetAt, ...(budget.limit !== undefined ? { limit: budget.limit } : {}) });
    return { ...(requests ? { requests: plain(requests) } : {}), ...(tokens ? { tokens: plain(tokens) } : {}) };
  }

  clear(): void {
    this.#requests = undefined;
    this.#tokens = undefined;
  }

  /** The budget in force at `now`, rolling over to a fresh window (or dropping it) once its reset has passed. */
  #live(kind: 'requests' | 'tokens', now: number): Budget | undefined {
    let budget = kind === 'requests' ? this.#requests : this.#tokens;
    if (budget && now >= budget.resetAt) {
      const windowMs = Math.max(1, budget.resetAt - budget.since);
      budget = budget.limit === undefined ? undefined : { remaining: budget.limit, limit: budget.limit, since: budget.resetAt, resetAt: budget.resetAt + windowMs * Math.ceil((now - budget.resetAt + 1) / windowMs) };
      if (kind === 'requests') this.#requests = budget;
      else this.#tokens = budget;
    }
    return budget;
  }
}

function merge(current: Budget | undefined, fresh: RemainingBudget, now: number): Budget {
  if (current && Math.abs(current.resetAt - fresh.resetAt) <= sameWindowToleranceMs) {
    return { ...current, remaining: Math.min(current.remaining, fresh.remaining), limit: fresh.limit ?? current.limit };
  }
  return { ...fresh, since: now };
}
