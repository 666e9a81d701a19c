import type { AccountStanding } from './account-standing.ts';
import type { BreakerState } from './circuit-breaker.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import type { GuardKey } from './guard-contract.ts';
import type { ResolvedGuardSettings } from './guard-settings.ts';
import { resolveKeyLimits } from './guard-settings.ts';
import { LatencyWindow } from './latency-window.ts';
import type { TokenEstimate } from './rate-limiter.ts';
import { RateLimiter } from './rate-limiter.ts';
import type { RemoteScopeState, ScopeRef } from './shared-state/guard-state-store.ts';

export interface Exhaustion {
  until: number;
  reason: string;
}

/**
 * Everything the guard tracks about one key: its switches, why it is out of service (disabled, cooling, exhausted
 * per model), its limiter and breaker, in-flight count and counters for the snapshot. Exhaustion is per model
 * because quotas such as Gemini's per-day limits are per model, not for the whole key.
 */
export class KeyRuntime {
  readonly providerId: string;
  readonly id: string;
  secret: string;
  enabled: boolean;
  weight: number;
  /** The account's live standing when this credential is a signed-in account. */
  account: AccountStanding | undefined;
  readonly limiter: RateLimiter;
  readonly breaker: CircuitBreaker;
  /** Position in the provider's key list, for ordered strategies. */
  index = 0;
  inFlight = 0;
  disabledReason: string | undefined;
  coolingUntil = 0;
  coolingReason = '';
  readonly exhausted = new Map<string, Exhaustion>();
  /** 429s in a row without a hint; doubles the default cooldown. */
  consecutiveRateLimits = 0;
  /** Smooth weighted round-robin state. */
  currentWeight = 0;
  requests = 0;
  errors = 0;
  rateLimited = 0;
  readonly latency = new LatencyWindow();
  /** Shared state only: the cluster-wide admission said this key cannot take a send before this time. */
  sharedBlockedUntil = 0;
  /** Shared state only: the key as all instances see it, from the last read-back. */
  remote: RemoteScopeState | undefined;

  constructor(providerId: string, key: GuardKey, settings: ResolvedGuardSettings, onBreakerChange: (state: BreakerState, openUntil: number | undefined) => void) {
    this.providerId = providerId;
    this.id = key.id;
    this.secret = key.secret;
    this.enabled = key.enabled;
    this.weight = key.weight ?? 1;
    this.account = key.account;
    this.limiter = new RateLimiter(resolveKeyLimits(settings, key.limits));
    this.breaker = new CircuitBreaker(settings.breaker, onBreakerChange);
  }

  reconfigure(key: GuardKey, settings: ResolvedGuardSettings): void {
    if (key.secret !== this.secret) {
      // New key material: what was learned about the old secret no longer applies.
      this.secret = key.secret;
      this.clearState();
    }
    this.enabled = key.enabled;
    this.weight = key.weight ?? 1;
    this.account = key.account;
    this.limiter.reconfigure(resolveKeyLimits(settings, key.limits));
    this.breaker.reconfigure(settings.breaker);
  }

  clearState(): void {
    this.disabledReason = undefined;
    this.coolingUntil = 0;
    this.coolingReason = '';
    this.exhausted.clear();
    this.consecutiveRateLimits = 0;
    this.limiter.learned.clear();
    this.sharedBlockedUntil = 0;
  }

  /** How the shared state store names this key (the secret only for its fingerprint). */
  scopeRef(): ScopeRef {
    return { providerId: this.providerId, keyId: this.id, secret: this.secret, limits: this.limiter.limits };
  }

  get maxConcurrent(): number {
    return this.limiter.limits.maxConcurrent;
  }

  exhaustedUntil(model: string, now: number): number {
    const exhaustion = this.exhausted.get(model);
    if (!exhaustion) return 0;
    if (exhaustion.until <= now) {
      this.exhausted.delete(model);
      return 0;
    }
    return exhaustion.until;
  }

  /** Switched off in the config, disabled after a 401/403, or an account that must sign in again. */
  get outOfService(): boolean {
    return !this.enabled || this.disabledReason !== undefined || this.account?.state === 'sign-in-again';
  }

  /** An account whose vendor quota is used up: until its reset (the learned budget of an account). */
  quotaExhaustedUntil(now: number): number {
    const until = this.account?.quota?.exhaustedUntil ?? 0;
    return until > now ? until : 0;
  }

  /**
   * Earliest time (>= now) at which this key could take a send for `model`, ignoring concurrency (which frees up
   * at no predictable time). +Infinity while its half-open breaker waits for a probe to come back. Does not look
   * at `outOfService`.
   */
  availableAt(now: number, model: string, tokens: TokenEstimate): number {
    let at = Math.max(now, this.coolingUntil, this.exhaustedUntil(model, now), this.quotaExhaustedUntil(now), this.sharedBlockedUntil);
    at = Math.max(at, this.breaker.passableAt(now));
    if (at > now) return at;
    return this.limiter.nextAllowedAt(now, tokens);
  }
}
