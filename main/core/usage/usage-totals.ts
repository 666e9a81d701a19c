// The columns every summary adds up, shared by the raw-row and rollup queries so both return the same totals.
import type { UsageTotals } from '../../../shared/usage-views.ts';

/** SQL sums over `requests` rows. */
export const rawTotalsSql = `
  COUNT(*) AS requests, SUM(outcome != 'ok') AS errors,
  SUM(input_tokens) AS inputTokens, SUM(output_tokens) AS outputTokens, SUM(cache_read_tokens) AS cacheReadTokens,
  SUM(cache_write_tokens) AS cacheWriteTokens, SUM(reasoning_tokens) AS reasoningTokens, SUM(estimated) AS estimatedRequests,
  IFNULL(SUM(cost_usd), 0) AS costUsd, SUM(cost_basis = 'unknown') AS unpricedRequests, SUM(cost_basis = 'included') AS includedRequests,
  SUM(duration_ms) AS durationMsSum, SUM(upstream_rate_limited) AS upstreamRateLimited, SUM(upstream_failures) AS upstreamFailures,
  SUM(key_rotations) AS keyRotations, SUM(fallbacks) AS fallbacks, SUM(status = 429) AS rateLimitedReachedClient,
  SUM(rate_limits_retried) AS rateLimitsRetried, SUM(rate_limits_rotated) AS rateLimitsRotated, SUM(rate_limits_fell_back) AS rateLimitsFellBack`;

/** The same sums over `rollups` rows. */
export const rollupTotalsSql = `
  SUM(requests) AS requests, SUM(errors) AS errors,
  SUM(input_tokens) AS inputTokens, SUM(output_tokens) AS outputTokens, SUM(cache_read_tokens) AS cacheReadTokens,
  SUM(cache_write_tokens) AS cacheWriteTokens, SUM(reasoning_tokens) AS reasoningTokens, SUM(estimated_requests) AS estimatedRequests,
  SUM(cost_usd) AS costUsd, SUM(unpriced_requests) AS unpricedRequests, SUM(included_requests) AS includedRequests,
  SUM(duration_ms_sum) AS durationMsSum, SUM(upstream_rate_limited) AS upstreamRateLimited, SUM(upstream_failures) AS upstreamFailures,
  SUM(key_rotations) AS keyRotations, SUM(fallbacks) AS fallbacks, SUM(rate_limited_reached_client) AS rateLimitedReachedClient,
  SUM(rate_limits_retried) AS rateLimitsRetried, SUM(rate_limits_rotated) AS rateLimitsRotated, SUM(rate_limits_fell_back) AS rateLimitsFellBack`;

export type TotalsRow = Record<string, number | null>;

const countFields = [
  'requests', 'errors', 'inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens', 'estimatedRequests',
  'unpricedRequests', 'includedRequests', 'upstreamRateLimited', 'upstreamFailures', 'keyRotations', 'fallbacks', 'rateLimitedReachedClient',
  'rateLimitsRetried', 'rateLimitsRotated', 'rateLimitsFellBack',
] as const;

export function totalsFromRow(row: TotalsRow | undefined, latency: { p50: number | null; p95: number | null } = { p50: null, p95: null }): UsageTotals {
  const counts = Object.fromEntries(countFields.map((field) => [field, Number(row?.[field] ?? 0)])) as Record<(typeof countFields)[number], number>;
  const durationSum = Number(row?.durationMsSum ?? 0);
  return {
    ...counts,
    costUsd: Number(row?.costUsd ?? 0),
    latencyAvgMs: counts.requests > 0 ? durationSum / counts.requests : null,
    latencyP50Ms: latency.p50,
    latencyP95Ms: latency.p95,
  };
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}
