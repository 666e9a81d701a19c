// What the request path hands the recorder, and how it becomes a ledger row. The conversion (token breakdown,
// estimate, cost) runs when the queue is flushed, never while the request is being answered.
import type { CanonicalUsage } from '../formats/canonical/canonical-response.ts';
import { hasUsage } from '../formats/canonical/canonical-response.ts';
import type { Billing } from './compute-cost.ts';
import { computeCost } from './compute-cost.ts';
import type { EstimateInput } from './estimate-usage.ts';
import { tokensOfCharacters } from '../formats/estimate-tokens.ts';
import { estimateUsage } from './estimate-usage.ts';
import type { PriceTable } from './price-table.ts';
import { noTokens, tokenBreakdown } from './token-breakdown.ts';
import type { UsageRecord } from './usage-record.ts';

export type UsageEvent = Omit<UsageRecord, 'tokens' | 'estimated' | 'costBasis' | 'costUsd' | 'priceVersion'> & {
  /** What the upstream reported (a codec's `usage` reader), undefined when it reported nothing. */
  usage: CanonicalUsage | undefined;
  /**
   * The request (and what the client received) to estimate tokens from: all of them when `usage` is empty, only the
   * output when `usage` has figures but no output tokens and `outputCharacters` is known (docs/usage.md "Estimates").
   */
  estimate?: EstimateInput;
  /** Subscription accounts cost "included". Default metered. */
  billing?: Billing;
};

export function buildUsageRecord(event: UsageEvent, prices: PriceTable): UsageRecord {
  const { usage, estimate } = event;
  let tokens = noTokens;
  let estimated = false;
  if (hasUsage(usage)) {
    // Reported figures are kept; only a missing output is estimated (never added to a reported one).
    const outputCharacters = estimate && event.outcome !== 'refused' && usage!.outputTokens === undefined ? estimate.outputCharacters : undefined;
    if (outputCharacters === undefined) tokens = tokenBreakdown(usage!);
    else {
      tokens = tokenBreakdown({ ...usage, outputTokens: tokensOfCharacters(outputCharacters) });
      estimated = true;
    }
  } else if (estimate && event.outcome !== 'refused') {
    const guessed = estimateUsage(estimate);
    if (guessed) {
      tokens = tokenBreakdown(guessed);
      estimated = true;
    }
  }
  const cost = computeCost(prices, event.billing ?? 'metered', event.provider, event.model, tokens);
  // Spelled out, not spread: one object of one shape per request, built at every flush (docs/performance.md).
  return {
    startedAt: event.startedAt,
    durationMs: event.durationMs,
    ttfbMs: event.ttfbMs,
    clientFormat: event.clientFormat,
    requestedModel: event.requestedModel,
    routeKind: event.routeKind,
    route: event.route,
    provider: event.provider,
    model: event.model,
    keyId: event.keyId,
    accountId: event.accountId,
    attempts: event.attempts,
    outcome: event.outcome,
    errorCode: event.errorCode,
    status: event.status,
    stream: event.stream,
    tokens,
    estimated,
    costBasis: cost.costBasis,
    costUsd: cost.costUsd,
    priceVersion: cost.priceVersion,
    upstreamRateLimited: event.upstreamRateLimited,
    upstreamFailures: event.upstreamFailures,
    keyRotations: event.keyRotations,
    fallbacks: event.fallbacks,
    rateLimitsRetried: event.rateLimitsRetried,
    rateLimitsRotated: event.rateLimitsRotated,
    rateLimitsFellBack: event.rateLimitsFellBack,
  };
}
