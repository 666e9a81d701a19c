import type { RateLimitHints, RemainingBudget } from './rate-limit-headers.ts';

/**
 * The provider's own view of a key's budget, learned from its rate-limit headers. Each admitted send spends from
 * it, so the key slows down (waits for the reset) before the provider would answer 429, even when no limits are
 * configured. A fresher response replaces what was learned before.
 */
export class LearnedBudget {
  #requests: RemainingBudget | undefined;
  #tokens: RemainingBudget | undefined;

  /**
   * `othersInFlight`: sends on this key that may not be reflected in these headers yet (they left after this
   * request was counted upstream); they are taken off the remaining budget to stay on the safe side.
   */
  observe(hints: RateLimitHints, othersInFlight: number): void {
    if (hints.requests) this.#requests = { remaining: hints.requests.remaining - othersInFlight, resetAt: hints.requests.resetAt };
    if (hints.tokens) this.#tokens = { ...hints.tokens };
  }

  nextAllowedAt(now: number, tokens: number): number {
    let at = now;
    const requests = this.#live(this.#requests, now);
    if (requests && requests.remaining <= 0) at = Math.max(at, requests.resetAt);
    const tokenBudget = this.#live(this.#tokens, now);
    if (tokenBudget && (tokenBudget.remaining <= 0 || tokenBudget.remaining < tokens)) at = Math.max(at, tokenBudget.resetAt);
    return at;
  }

  record(now: number, tokens: number): void {
    const requests = this.#live(this.#requests, now);
    if (requests) requests.remaining -= 1;
    const tokenBudget = this.#live(this.#tokens, now);
    if (tokenBudget) tokenBudget.remaining -= tokens;
  }

  snapshot(now: number): { requests?: RemainingBudget; tokens?: RemainingBudget } | undefined {
    const requests = this.#live(this.#requests, now);
    const tokens = this.#live(this.#tokens, now);
    if (!requests && !tokens) return undefined;
    return { ...(requests ? { requests: { ...requests } } : {}), ...(tokens ? { tokens: { ...tokens } } : {}) };
  }

  clear(): void {
    this.#requests = undefined;
    this.#tokens = undefined;
  }

  #live(budget: RemainingBudget | undefined, now: number): RemainingBudget | undefined {
    return budget && now < budget.resetAt ? budget : undefined;
  }
}
