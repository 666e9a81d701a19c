import type { ProxyError } from '../errors/proxy-error.ts';
import type { BreakerTicket } from './circuit-breaker.ts';
import type { RateLimitHints } from './rate-limit-headers.ts';
import { defaultCooldown, unknownQuotaResetMs } from './retry-policy.ts';
import type { Admission } from './send-queue.ts';
import type { GuardDependencies, ProviderRuntime } from './provider-runtime.ts';

function shortReason(error: ProxyError): string {
  const message = error.message.length > 200 ? `${error.message.slice(0, 200)}…` : error.message;
  return `${error.status} ${error.code}: ${message}`;
}

/**
 * What a failed send does to the key and the provider (docs/guard.md):
 * - client gone: nothing; the breaker probes (if any) are handed back.
 * - request at fault (400, 413), or a target without the model (404): nothing, not even an error count against the
 *   key: it is not the key's fault.
 * - 401/403: the key is disabled with the reason until re-enabled.
 * - spent quota: the key is exhausted for this model until the provider's reset time.
 * - 429: the key cools for the provider's hint, or a doubling default.
 * - provider failures (5xx, timeouts, connection errors): counted by the provider's and the key's breakers.
 */
export function recordFailure(
  provider: ProviderRuntime,
  admission: Admission,
  providerTicket: BreakerTicket,
  error: ProxyError,
  model: string,
  dependencies: GuardDependencies,
): void {
  const { key, keyTicket } = admission;
  const now = dependencies.clock.now();
  if (error.scope === 'client' || error.scope === 'request' || error.scope === 'target') {
    provider.breaker.release(providerTicket);
    key.breaker.release(keyTicket);
    return;
  }
  key.errors += 1;
  provider.errors += 1;
  if (error.status === 429) {
    key.rateLimited += 1;
    provider.rateLimited += 1;
  }
  if (error.scope === 'provider') {
    provider.breaker.failure(providerTicket, now);
    key.breaker.failure(keyTicket, now);
    return;
  }
  // Key-scoped (or a local error raised inside the attempt): the provider answered, so the breakers learn nothing.
  provider.breaker.release(providerTicket);
  key.breaker.release(keyTicket);
  if (error.scope !== 'key') return;
  const label = provider.label(key);
  const where = { providerId: provider.id, keyId: key.id, key: label };
  if (error.code === 'auth_failed' || error.code === 'permission_denied') {
    key.disabledReason = shortReason(error);
    dependencies.events.emit({ type: 'key-disabled', at: now, ...where, reason: key.disabledReason });
    return;
  }
  if (error.code === 'quota_exhausted') {
    const until = error.resetAt ?? now + (error.retryAfterMs ?? unknownQuotaResetMs);
    const reason = shortReason(error);
    key.exhausted.set(model, { until, reason });
    dependencies.events.emit({ type: 'key-exhausted', at: now, ...where, model, until, reason });
    return;
  }
  const cooldown = error.retryAfterMs ?? defaultCooldown(key.consecutiveRateLimits, provider.settings.retry);
  key.consecutiveRateLimits += 1;
  key.coolingUntil = Math.max(key.coolingUntil, now + cooldown);
  key.coolingReason = shortReason(error);
  dependencies.events.emit({ type: 'key-cooling', at: now, ...where, until: key.coolingUntil, reason: key.coolingReason });
}

/**
 * A send that got its answer: latency (admission to the answer's headers, `headersAt`, when the attempt reported
 * them), breaker successes, and whatever the provider's rate-limit headers say.
 */
export function recordSuccess(
  provider: ProviderRuntime,
  admission: Admission,
  providerTicket: BreakerTicket,
  hints: RateLimitHints | undefined,
  dependencies: GuardDependencies,
  headersAt?: number,
): void {
  const { key, keyTicket } = admission;
  const now = dependencies.clock.now();
  const latency = (headersAt ?? now) - admission.admittedAt;
  key.latency.add(latency);
  provider.latency.add(latency);
  key.consecutiveRateLimits = 0;
  provider.breaker.success(providerTicket, now);
  key.breaker.success(keyTicket, now);
  if (hints) {
    key.limiter.learned.observe(hints, Math.max(0, key.inFlight - 1), now);
    dependencies.sharedState.recordLearned(key.scopeRef(), hints, Math.max(0, key.inFlight - 1), now);
  }
}
