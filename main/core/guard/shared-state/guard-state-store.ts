import type { GuardEvent } from '../guard-events.ts';
import type { ResolvedLimits } from '../guard-settings.ts';
import type { RateLimitHints } from '../rate-limit-headers.ts';

/**
 * The seam between the guard and where its cluster-wide state lives (docs/cluster.md). The guard always keeps its
 * own state in memory (key-runtime.ts, rate-limiter.ts, ...), which is exact for one instance. A shared store adds,
 * while it is reachable, one atomic cluster-wide admission per send and writes the guard's decisions as small
 * deltas; it reads the other instances' decisions back for key choice and the dashboard.
 */

/** Whether the guard's state is shared right now, as the snapshot, /health and the dashboard show it. */
export interface SharedStateStatus {
  /** 'shared': admissions are checked in Redis with every live instance; 'local': this instance guards alone. */
  mode: 'shared' | 'local';
  /** Live instances sharing the state (heartbeats younger than a few seconds), this one included; 1 when local. */
  instances: number;
  /** Set when sharing was configured but is not working: "guard state not shared: …". */
  warning?: string;
}

/** One provider, or one key of it, as the store names it. */
export interface ScopeRef {
  providerId: string;
  /** Absent for the provider as a whole. */
  keyId?: string;
  /** The key's secret, only to tell a replaced secret from the old one (the store keeps a one-way fingerprint). */
  secret?: string;
  limits: ResolvedLimits;
}

export interface AdmissionCheck {
  provider: ScopeRef;
  key: ScopeRef;
  model: string;
  tokens: number;
  now: number;
}

export type AdmissionVerdict =
  /** Counted cluster-wide; `leaseId` holds an in-flight slot until `release`. */
  | { kind: 'admitted'; leaseId: string }
  /** Another instance's sends (or decisions) hold this scope until `until` (+Infinity: until a key reset). */
  | { kind: 'wait'; scope: 'provider' | 'key'; until: number; reason: string }
  /** The store could not answer (it has just switched to local mode): admit on the local state alone. */
  | { kind: 'unavailable' };

export interface SentOnWire {
  leaseId: string;
  at: number;
  provider: ScopeRef;
  key: ScopeRef;
}

/** What other instances decided or counted about one scope, for key choice and the snapshot. */
export interface RemoteScopeState {
  ref: ScopeRef;
  disabledReason?: string;
  coolingUntil?: number;
  coolingReason?: string;
  exhausted: Array<{ model: string; until: number; reason: string }>;
  breakerOpenUntil?: number;
  inFlight: number;
  sends: { minute: number; hour: number; day: number };
  tokensLastMinute: number;
}

/** What the guard lends the store: the scopes it guards now, and where remote state and status changes go. */
export interface StoreHost {
  scopes(): ScopeRef[];
  /** Keys this instance holds disabled, re-asserted on every (re)join so a Redis that lost them learns them again. */
  disabledKeys(): Array<{ scope: ScopeRef; reason: string }>;
  applyRemote(states: RemoteScopeState[]): void;
  statusChanged(status: SharedStateStatus): void;
}

export interface GuardStateStore {
  /** True while admissions must go through `admit` (shared mode). */
  readonly shared: boolean;
  status(): SharedStateStatus;
  attach(host: StoreHost): void;
  admit(check: AdmissionCheck): Promise<AdmissionVerdict>;
  /** Frees a lease's in-flight slot (the send itself stays counted in the windows). */
  release(leaseId: string): void;
  /**
   * A paced send admitted under `leaseId` left on the wire at `at` (or ended without leaving): the cluster-wide
   * pacing due time moves to one interval after it, and the send no longer holds back the next one.
   */
  wentOut(report: SentOnWire): void;
  /** A guard decision (key disabled / cooling / exhausted / restored, breaker opened / closed) for the others. */
  recordEvent(event: GuardEvent, scope: ScopeRef): void;
  /** A budget learned from the provider's headers. */
  recordLearned(scope: ScopeRef, hints: RateLimitHints, othersInFlight: number, now: number): void;
  close(): Promise<void>;
}

/** Guarding alone: the in-memory state is the whole truth, nothing is shared. */
export const localStateStore: GuardStateStore = {
  shared: false,
  status: () => ({ mode: 'local', instances: 1 }),
  attach: () => {},
  admit: () => Promise.resolve({ kind: 'unavailable' }),
  release: () => {},
  wentOut: () => {},
  recordEvent: () => {},
  recordLearned: () => {},
  close: () => Promise.resolve(),
};
