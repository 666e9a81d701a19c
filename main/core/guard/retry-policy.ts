import type { ProxyError } from '../errors/proxy-error.ts';
import type { ResolvedGuardSettings } from './guard-settings.ts';

type RetrySettings = ResolvedGuardSettings['retry'];

/** Exponential backoff with "equal jitter": half the delay fixed, half random, so retries of many clients spread out. */
export function backoffDelay(failures: number, settings: RetrySettings, random: () => number): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, failures - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

/** How long a key cools after a 429 that came without a hint: doubling with each 429 in a row, at least a second. */
export function defaultCooldown(consecutiveRateLimits: number, settings: RetrySettings): number {
  return Math.min(Math.max(settings.maxDelayMs, 1_000), Math.max(1_000, settings.baseDelayMs) * 2 ** consecutiveRateLimits);
}

/** Default reset for a spent quota whose reset time the provider did not give: look again in an hour. */
export const unknownQuotaResetMs = 3_600_000;

export type RetryDecision =
  /** Give the error to the caller now (not retryable, or the hint is longer than maxRetryAfterMs: fail over). */
  | { kind: 'stop' }
  /** Try again after `delayMs` (0: at once, on whichever key the pool gives). */
  | { kind: 'retry'; delayMs: number };

/**
 * After a failed attempt (before the commit point): retry or stop. Requests at fault (400) and the guard's own
 * refusals are never retried. Key-scoped failures (429, 401/403, spent quota) rotate at once: the key itself is
 * cooled, disabled or marked exhausted, and the key pool decides whether another key, or this one after its hint,
 * can serve within maxRetryAfterMs. Provider failures back off (or wait for the provider's hint), unless the hint is
 * longer than maxRetryAfterMs, in which case the error goes back at once so the caller can fall over to the next target.
 */
export function decideRetry(error: ProxyError, failures: number, settings: RetrySettings, random: () => number): RetryDecision {
  if (!error.retryable || error.scope === 'request' || error.scope === 'target' || error.scope === 'local' || error.scope === 'client') return { kind: 'stop' };
  if (failures >= settings.maxAttempts) return { kind: 'stop' };
  if (error.scope === 'key') return { kind: 'retry', delayMs: 0 };
  if (error.retryAfterMs !== undefined) {
    if (error.retryAfterMs > settings.maxRetryAfterMs) return { kind: 'stop' };
    return { kind: 'retry', delayMs: error.retryAfterMs };
  }
  return { kind: 'retry', delayMs: backoffDelay(failures, settings, random) };
}
