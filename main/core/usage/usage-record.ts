// One ledger row: one request that reached a provider, or one refused before it could (docs/usage.md "Fields").
// It names keys and accounts by id only: no secret, header or body ever goes into a record.
import type { costBases, routeKinds, usageOutcomes } from '../../../shared/usage-views.ts';
import type { WireFormat } from '../../../shared/wire-format.ts';
import type { TokenBreakdown } from './token-breakdown.ts';

/** How the request ended as the client saw it; what a cost means; how the request was routed (shared/usage-views.ts). */
export type UsageOutcome = (typeof usageOutcomes)[number];
export type CostBasis = (typeof costBases)[number];
export type RouteKind = (typeof routeKinds)[number];

export interface UsageRecord {
  /** Start of the request, epoch milliseconds. */
  startedAt: number;
  durationMs: number;
  /** Time to the first byte of the upstream answer; null when none arrived (refused, failed before headers). */
  ttfbMs: number | null;
  clientFormat: WireFormat;
  /** The model name the client sent. */
  requestedModel: string;
  routeKind: RouteKind;
  /** The combo, alias or scenario name; null for a direct `provider/model`. */
  route: string | null;
  /** The provider that produced the answer (or the last one tried); null when refused before any was chosen. */
  provider: string | null;
  /** The model name sent upstream. */
  model: string | null;
  /** Key id within the provider (never the secret); null for account sign-ins and refusals. */
  keyId: string | null;
  /** Signed-in account id (never a token); null for API keys. */
  accountId: string | null;
  /** Upstream calls made for this request: 1 when the first try answered. */
  attempts: number;
  outcome: UsageOutcome;
  /** Switchyard's error code (ProxyError code) when outcome is error, refused or aborted after an error. */
  errorCode: string | null;
  /** HTTP status the client received (the status line for streams). */
  status: number;
  stream: boolean;
  tokens: TokenBreakdown;
  /** The upstream reported no usage and the tokens are Switchyard's estimate. */
  estimated: boolean;
  costBasis: CostBasis;
  /** Cost in US dollars; null when the price is unknown or the account is a subscription (see costBasis). */
  costUsd: number | null;
  /** The price entry this row was costed with (e.g. `builtin-2026-12-03`), null when not priced. */
  priceVersion: string | null;
  // The guard's work, for the "absorbed versus reached the client" charts:
  /** Rate-limited (429 or the vendor's equivalent) answers seen from upstreams while serving this request. */
  upstreamRateLimited: number;
  /** Other failed upstream attempts (5xx, timeouts, network) retried or passed over. */
  upstreamFailures: number;
  /** Times another key of the same provider was used after one failed or was cooling down. */
  keyRotations: number;
  /** Times a later combo target was used after an earlier one failed. */
  fallbacks: number;
  // How each of the upstreamRateLimited answers was handled (what the guard did next); one left over reached the client.
  /** Followed by another attempt on the same key (after its retry hint or a backoff). */
  rateLimitsRetried: number;
  /** Followed by an attempt on another key or account of the same provider. */
  rateLimitsRotated: number;
  /** Followed by the next combo target. */
  rateLimitsFellBack: number;
}
