import type { GuardPreset, KeyStrategy } from '../../../shared/config/guard-schema.ts';
import type { AccountQuota } from './account-standing.ts';
import type { BreakerSnapshot } from './circuit-breaker.ts';
import { keyLabel, lastFour } from './key-label.ts';
import type { KeyRuntime } from './key-runtime.ts';
import type { ProviderRuntime } from './provider-runtime.ts';
import type { RemainingBudget } from './rate-limit-headers.ts';
import type { WindowUsage } from './rate-limiter.ts';
import type { RemoteScopeState, SharedStateStatus } from './shared-state/guard-state-store.ts';

/** A key or provider as all instances sharing the guard state see it (only while the state is shared). */
export interface ClusterScopeSnapshot {
  /** Sends in flight on every live instance. */
  inFlight: number;
  /** Sends admitted by all instances in the last minute, hour and day (counted where a window is configured). */
  sends: { minute: number; hour: number; day: number };
  tokensLastMinute: number;
}

export type KeyState = 'active' | 'cooling' | 'exhausted' | 'disabled';

export interface KeySnapshot {
  id: string;
  /** Last four characters of the secret ('' for short or missing secrets). Never more. */
  last4: string;
  /** `id (…last4)`, for display. */
  label: string;
  /** disabled > exhausted (for at least one model) > cooling > active. */
  state: KeyState;
  /** False when switched off in the config. */
  enabled: boolean;
  disabledReason?: string;
  coolingUntil?: number;
  coolingReason?: string;
  exhausted: Array<{ model: string; until: number; reason: string }>;
  /** Latest end of an exhaustion, when any. */
  exhaustedUntil?: number;
  inFlight: number;
  maxConcurrent: number | null;
  windows: WindowUsage[];
  /** What the provider's rate-limit headers said is left, while it applies. */
  learned?: { requests?: RemainingBudget; tokens?: RemainingBudget };
  breaker: BreakerSnapshot;
  requests: number;
  errors: number;
  rateLimited: number;
  latencyP50Ms: number | null;
  weight: number;
  /** Signed-in accounts only: who it is, its plan, whether it must sign in again, the vendor's quota. Never a token. */
  account?: { login: string; plan?: string; state: 'ready' | 'sign-in-again'; stateReason?: string; quota?: AccountQuota };
  /** All instances together, while the guard state is shared. */
  cluster?: ClusterScopeSnapshot;
}

export interface ProviderSnapshot {
  id: string;
  preset: GuardPreset;
  keyStrategy: KeyStrategy;
  /** Requests waiting for a slot. */
  queueDepth: number;
  inFlight: number;
  /** In-flight shared (deduplicated) calls, and the requests waiting on them. */
  dedupInFlight: number;
  dedupCallers: number;
  windows: WindowUsage[];
  breaker: BreakerSnapshot;
  requests: number;
  errors: number;
  rateLimited: number;
  latencyP50Ms: number | null;
  keys: KeySnapshot[];
  /** All instances together, while the guard state is shared. */
  cluster?: ClusterScopeSnapshot;
}

export interface GuardSnapshot {
  takenAt: number;
  /**
   * Whether this guard shares its state with other instances, with how many, and why not when it should. Always set
   * by the guard; optional only so snapshots built elsewhere (tests, older engines) stay valid.
   */
  sharedState?: SharedStateStatus;
  providers: ProviderSnapshot[];
}

function clusterSnapshot(remote: RemoteScopeState | undefined, sharedState: SharedStateStatus): ClusterScopeSnapshot | undefined {
  if (!remote || sharedState.mode !== 'shared') return undefined;
  return { inFlight: remote.inFlight, sends: { ...remote.sends }, tokensLastMinute: remote.tokensLastMinute };
}

function keyState(key: KeyRuntime, now: number, exhausted: KeySnapshot['exhausted']): KeyState {
  if (key.outOfService) return 'disabled';
  if (exhausted.length > 0 || key.quotaExhaustedUntil(now) > 0) return 'exhausted';
  if (key.coolingUntil > now) return 'cooling';
  return 'active';
}

function keySnapshot(key: KeyRuntime, now: number, sharedState: SharedStateStatus): KeySnapshot {
  const exhausted = [...key.exhausted.entries()]
    .filter(([, exhaustion]) => exhaustion.until > now)
    .map(([model, exhaustion]) => ({ model, until: exhaustion.until, reason: exhaustion.reason }));
  const snapshot: KeySnapshot = {
    id: key.id,
    last4: lastFour(key.secret),
    label: key.account ? `${key.id} (${key.account.label})` : keyLabel(key.id, key.secret),
    state: keyState(key, now, exhausted),
    enabled: key.enabled,
    exhausted,
    inFlight: key.inFlight,
    maxConcurrent: Number.isFinite(key.maxConcurrent) ? key.maxConcurrent : null,
    windows: key.limiter.usage(now),
    breaker: key.breaker.snapshot(now),
    requests: key.requests,
    errors: key.errors,
    rateLimited: key.rateLimited,
    latencyP50Ms: key.latency.median(),
    weight: key.weight,
  };
  if (key.disabledReason !== undefined) snapshot.disabledReason = key.disabledReason;
  if (key.coolingUntil > now) {
    snapshot.coolingUntil = key.coolingUntil;
    snapshot.coolingReason = key.coolingReason;
  }
  if (exhausted.length > 0) snapshot.exhaustedUntil = Math.max(...exhausted.map((entry) => entry.until));
  if (key.account) {
    const { label, plan, state, stateReason, quota } = key.account;
    snapshot.account = { login: label, state, ...(plan ? { plan } : {}), ...(stateReason ? { stateReason } : {}), ...(quota ? { quota: structuredClone(quota) } : {}) };
    if (state === 'sign-in-again') snapshot.disabledReason ??= `sign in again: ${stateReason ?? 'the vendor refused the sign-in'}`;
    const quotaUntil = key.quotaExhaustedUntil(now);
    if (quotaUntil > 0) snapshot.exhaustedUntil = Math.max(snapshot.exhaustedUntil ?? 0, quotaUntil);
  }
  const learned = key.limiter.learned.snapshot(now);
  if (learned) snapshot.learned = learned;
  const cluster = clusterSnapshot(key.remote, sharedState);
  if (cluster) snapshot.cluster = cluster;
  return snapshot;
}

/** A plain, JSON-ready copy of the guard's state. Contains no secret beyond four characters per key. */
export function buildSnapshot(providers: Iterable<ProviderRuntime>, now: number, sharedState: SharedStateStatus): GuardSnapshot {
  return {
    takenAt: now,
    sharedState,
    providers: [...providers].map((provider) => ({
      id: provider.id,
      preset: provider.settings.preset,
      keyStrategy: provider.settings.keyStrategy,
      queueDepth: provider.queue.depth,
      inFlight: provider.inFlight,
      dedupInFlight: provider.dedup.inFlightCount,
      dedupCallers: provider.dedup.callerCount,
      windows: provider.limiter.usage(now),
      breaker: provider.breaker.snapshot(now),
      requests: provider.requests,
      errors: provider.errors,
      rateLimited: provider.rateLimited,
      latencyP50Ms: provider.latency.median(),
      keys: provider.keys.map((key) => keySnapshot(key, now, sharedState)),
      ...(clusterSnapshot(provider.remote, sharedState) ? { cluster: clusterSnapshot(provider.remote, sharedState)! } : {}),
    })),
  };
}
