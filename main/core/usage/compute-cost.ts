import type { CostBasis } from './usage-record.ts';
import type { PriceTable } from './price-table.ts';
import type { TokenBreakdown } from './token-breakdown.ts';

export interface Costing {
  costBasis: CostBasis;
  costUsd: number | null;
  priceVersion: string | null;
}

/** How a key or account is paid for: per token, or a subscription whose requests cost nothing extra. */
export type Billing = 'metered' | 'subscription';

/**
 * The cost of one request. Subscription accounts are "included" (their tokens still count); a model without a
 * price is "unknown" (null, never 0, so totals never pretend to be complete); a request that used no tokens costs 0.
 */
export function computeCost(prices: PriceTable, billing: Billing, provider: string | null, model: string | null, tokens: TokenBreakdown): Costing {
  if (billing === 'subscription') return { costBasis: 'included', costUsd: null, priceVersion: null };
  // No token used (a refusal, a failure before any answer): nothing to pay at any price, so not "unpriced" either.
  if (tokens.inputTokens + tokens.outputTokens + tokens.cacheReadTokens + tokens.cacheWriteTokens === 0) return { costBasis: 'priced', costUsd: 0, priceVersion: null };
  const price = model === null ? undefined : prices.priceFor(provider, model);
  if (!price) return { costBasis: 'unknown', costUsd: null, priceVersion: null };
  const dollars =
    (tokens.inputTokens * price.input + tokens.outputTokens * price.output + tokens.cacheReadTokens * price.cacheRead + tokens.cacheWriteTokens * price.cacheWrite) /
    1_000_000;
  return { costBasis: 'priced', costUsd: dollars, priceVersion: price.version };
}
