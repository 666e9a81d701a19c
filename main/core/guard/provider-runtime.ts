import type { BreakerState } from './circuit-breaker.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import type { Clock } from './clock.ts';
import { Dedup } from './dedup.ts';
import type { GuardProvider } from './guard-contract.ts';
import type { GuardEventHub } from './guard-events.ts';
import type { ResolvedGuardSettings } from './guard-settings.ts';
import { resolveGuardSettings } from './guard-settings.ts';
import { keyLabel } from './key-label.ts';
import { KeyRuntime } from './key-runtime.ts';
import type { StrategyState } from './key-strategy.ts';
import { LatencyWindow } from './latency-window.ts';
import { RateLimiter } from './rate-limiter.ts';
import type { Admission } from './send-queue.ts';
import { SendQueue } from './send-queue.ts';
import type { GuardStateStore, RemoteScopeState, ScopeRef } from './shared-state/guard-state-store.ts';

export interface GuardDependencies {
  clock: Clock;
  random: () => number;
  events: GuardEventHub;
  /** Where the cluster-wide state lives; the local store when nothing is shared. */
  sharedState: GuardStateStore;
}

/** The guard's state for one provider: settings, keys, provider-wide limiter and breaker, queue, dedup, counters. */
export class ProviderRuntime {
  readonly id: string;
  settings: ResolvedGuardSettings;
  keys: KeyRuntime[] = [];
  noKeysHint: string | undefined;
  readonly limiter: RateLimiter;
  readonly breaker: CircuitBreaker;
  readonly queue: SendQueue;
  readonly dedup: Dedup;
  readonly strategyState: StrategyState = { cursor: 0 };
  inFlight = 0;
  requests = 0;
  errors = 0;
  rateLimited = 0;
  readonly latency = new LatencyWindow();
  /** Shared state only: the cluster-wide admission said the provider cannot take a send before this time. */
  sharedBlockedUntil = 0;
  /** Shared state only: the provider as all instances see it, from the last read-back. */
  remote: RemoteScopeState | undefined;
  readonly #dependencies: GuardDependencies;

  constructor(config: GuardProvider, dependencies: GuardDependencies) {
    this.id = config.id;
    this.#dependencies = dependencies;
    this.settings = resolveGuardSettings(config.settings, config.keyStrategy);
    this.limiter = new RateLimiter(this.settings.providerLimits);
    this.breaker = new CircuitBreaker(this.settings.breaker, (state, until) => this.#breakerChanged(state, until));
    this.dedup = new Dedup(dependencies.clock);
    this.queue = new SendQueue(this, dependencies);
    this.noKeysHint = config.noKeysHint;
    this.#applyKeys(config);
  }

  reconfigure(config: GuardProvider): void {
    this.settings = resolveGuardSettings(config.settings, config.keyStrategy);
    this.limiter.reconfigure(this.settings.providerLimits);
    this.breaker.reconfigure(this.settings.breaker);
    this.noKeysHint = config.noKeysHint;
    this.#applyKeys(config);
    this.queue.pump();
  }

  scopeRef(): ScopeRef {
    return { providerId: this.id, limits: this.settings.providerLimits };
  }

  /**
   * An admitted send left on the wire at `at`, or ended without leaving (then `at` is when it ended: the safe side).
   * `settles` on its first report: it no longer holds back the next send. Pacing, local and shared, is timed from
   * here (docs/guard.md, Pacing at the wire).
   */
  requestWentOut(admission: Admission, at: number, settles: boolean): void {
    const { key } = admission;
    const paced = key.limiter.paced || this.limiter.paced;
    if (paced) {
      key.limiter.wentOut(at);
      this.limiter.wentOut(at);
    }
    if (settles) {
      key.limiter.settle();
      this.limiter.settle();
    }
    if (!paced) return;
    if (admission.leaseId !== undefined) this.#dependencies.sharedState.wentOut({ leaseId: admission.leaseId, at, provider: this.scopeRef(), key: key.scopeRef() });
    this.queue.pump();
  }

  key(id: string): KeyRuntime | undefined {
    return this.keys.find((key) => key.id === id);
  }

  label(key: KeyRuntime): string {
    return key.account ? `${key.id} (${key.account.label})` : keyLabel(key.id, key.secret);
  }

  #applyKeys(config: GuardProvider): void {
    // The runtime config hands a keyless provider its one slot (providers/key-requirement.ts); none are invented here.
    const wanted = config.keys;
    const previous = new Map(this.keys.map((key) => [key.id, key]));
    this.keys = wanted.map((key, index) => {
      const existing = previous.get(key.id);
      const runtime = existing ?? new KeyRuntime(this.id, key, this.settings, (state, until) => this.#breakerChanged(state, until, key.id));
      if (existing) existing.reconfigure(key, this.settings);
      runtime.index = index;
      return runtime;
    });
  }

  #breakerChanged(state: BreakerState, until: number | undefined, keyId?: string): void {
    const at = this.#dependencies.clock.now();
    const where = keyId === undefined ? { providerId: this.id } : { providerId: this.id, keyId };
    if (state === 'open') this.#dependencies.events.emit({ type: 'breaker-opened', at, ...where, until: until ?? at });
    else if (state === 'half-open') this.#dependencies.events.emit({ type: 'breaker-half-open', at, ...where });
    else this.#dependencies.events.emit({ type: 'breaker-closed', at, ...where });
  }
}
