import type { LimitsConfig, KeyStrategy } from '../../../shared/config/guard-schema.ts';
import type { AccountStanding } from './account-standing.ts';
import type { GuardEventListener } from './guard-events.ts';
import type { GuardSnapshot } from './guard-snapshot.ts';

/**
 * The seam between the request path and the execution guard (docs/guard.md).
 * The pipeline calls `guard.run(request, attempt)` once per combo target; `attempt` performs exactly one upstream
 * network send with the key the guard leased to it. The guard owns everything around that send: dedup, queue,
 * pacing, rate windows, key choice, breaker and retries. No code path may reach a provider except inside `attempt`.
 */

export interface GuardRequest {
  providerId: string;
  model: string;
  stream: boolean;
  /**
   * The request's estimated input tokens (one estimator: formats/estimate-tokens.ts), for tokensPerMinute windows
   * and learned token budgets. Called only when one of them is in force; the caller remembers the result.
   */
  estimatedInputTokens: () => number;
  /**
   * Identity of the request for dedup; only set for non-streaming requests. Identical in-flight requests then share
   * one attempt and all receive the same `value`, so that value must be safe to hand to several callers (e.g. a
   * fully read body, not a stream).
   */
  dedupKey?: string;
  /** Only these keys of the provider may serve (a combo entry restricted to some keys); all keys when absent. */
  keyIds?: readonly string[];
  /** Aborted when the client disconnects: the guard stops waiting/retrying and the attempt aborts its send. */
  signal: AbortSignal;
}

/** Told the moment a request was written to its connection, after connection setup (docs/guard.md, Pacing at the wire). */
export interface SentReport {
  requestSent(): void;
}

export interface KeyLease {
  readonly providerId: string;
  readonly keyId: string;
  /** The key material for this one send. Never log it. */
  readonly secret: string;
  /** 1 for the first attempt of this run, 2 for the first retry, ... */
  readonly attempt: number;
  /** Aborted when the client disconnects or the guard gives up on this attempt. */
  readonly signal: AbortSignal;
  /**
   * Call when the upstream's response headers arrive. Latency (latencyP50Ms) is the time from admission to this
   * moment, so a long non-streaming body does not count as a slow provider; without a call, to the attempt's end.
   */
  headersArrived(): void;
  /**
   * Set when pacing is in force for this send: hand it to the upstream client, which calls `requestSent()` once the
   * request has been written to its connection. The spacing to the next send is timed from that moment. Absent
   * when nothing is paced (no cost on the request path then).
   */
  readonly sentReport: SentReport | undefined;
}

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface AttemptSuccess<T> {
  value: T;
  /** Upstream response headers, read for rate-limit hints (anthropic-ratelimit-*, x-ratelimit-*). */
  headers?: ResponseHeaders;
  /**
   * For streams: settles when the upstream body has been fully relayed. The guard keeps the concurrency slot until
   * then. A rejection (mid-stream upstream error) counts against the key/provider but is never retried: bytes have
   * already reached the client (the commit point).
   */
  finished?: Promise<void>;
}

/** One attempt: a single upstream send. Throws a classified ProxyError on a non-2xx answer or a network failure. */
export type Attempt<T> = (lease: KeyLease) => Promise<AttemptSuccess<T>>;

/** What the guard needs to know about a provider's keys: ids, secrets, switches and per-key overrides. */
export interface GuardKey {
  id: string;
  secret: string;
  enabled: boolean;
  weight?: number;
  limits?: LimitsConfig;
  /**
   * Set when the credential is a signed-in account (docs/accounts.md): `secret` is then empty, the attempt fetches
   * the account's access token itself, and the guard honours the account's state and quota as it does a key's.
   */
  account?: AccountStanding;
}

export interface GuardProvider {
  id: string;
  keys: GuardKey[];
  /** Said to the client when `keys` is empty: what the person must do (e.g. sign in an account). */
  noKeysHint?: string;
  keyStrategy?: KeyStrategy;
  // The remaining guard settings (limits, queue, retry, breaker, dedup, guardPreset) as written in the config.
  settings: Record<string, unknown>;
}

export interface ExecutionGuard {
  run<T>(request: GuardRequest, attempt: Attempt<T>): Promise<T>;
  /** Replaces provider and key settings (config reload). State of keys that still exist is kept. */
  configure(providers: GuardProvider[]): void;
  /** Live state for the guard.snapshot channel, the tray and the dashboard. Never contains a whole secret. */
  snapshot(): GuardSnapshot;
  /** Key disabled / cooling / exhausted / restored, breaker opened / half-open / closed, queue full. Returns unsubscribe. */
  subscribe(listener: GuardEventListener): () => void;
  /** Puts a key back in service (clears disabled, cooling, exhausted and its breaker). False if there is no such key. */
  resetKey(providerId: string, keyId: string): boolean;
}
