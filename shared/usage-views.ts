import { z } from 'zod';
import { wireFormats } from './wire-format.ts';

// What the UI will see of the usage ledger. Keys and accounts appear by id only; every object is strict, so a field
// not listed here (a secret, a header, a body) fails validation instead of reaching the renderer.

export const usageOutcomes = ['ok', 'error', 'aborted', 'refused'] as const;
export const costBases = ['priced', 'unknown', 'included'] as const;
/** `local`: answered by Switchyard itself, no provider asked (Claude Code's side requests, docs/clients.md). */
export const routeKinds = ['direct', 'combo', 'alias', 'scenario', 'local'] as const;
export const usageBuckets = ['minute', 'hour', 'day'] as const;
export const usageGroupings = ['provider', 'model', 'key', 'clientFormat', 'route'] as const;
export const ledgerHealths = ['ok', 'recovered', 'locked', 'failing', 'unavailable', 'disabled'] as const;

const tokenFields = {
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  cacheReadTokens: z.number().int().min(0),
  cacheWriteTokens: z.number().int().min(0),
  reasoningTokens: z.number().int().min(0),
};

const guardFields = {
  upstreamRateLimited: z.number().int().min(0),
  upstreamFailures: z.number().int().min(0),
  keyRotations: z.number().int().min(0),
  fallbacks: z.number().int().min(0),
  /** How the rate-limited answers were handled: another try on the same key, another key, the next combo target. */
  rateLimitsRetried: z.number().int().min(0),
  rateLimitsRotated: z.number().int().min(0),
  rateLimitsFellBack: z.number().int().min(0),
};

/** One request in the "recent requests" list. */
export const usageRequestViewSchema = z.strictObject({
  id: z.number().int(),
  startedAt: z.number(),
  durationMs: z.number(),
  ttfbMs: z.number().nullable(),
  clientFormat: z.enum(wireFormats),
  requestedModel: z.string(),
  routeKind: z.enum(routeKinds),
  route: z.string().nullable(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  keyId: z.string().nullable(),
  accountId: z.string().nullable(),
  attempts: z.number().int(),
  outcome: z.enum(usageOutcomes),
  errorCode: z.string().nullable(),
  status: z.number().int(),
  stream: z.boolean(),
  ...tokenFields,
  estimated: z.boolean(),
  costBasis: z.enum(costBases),
  costUsd: z.number().nullable(),
  priceVersion: z.string().nullable(),
  ...guardFields,
});

export const usageRequestPageSchema = z.strictObject({
  requests: z.array(usageRequestViewSchema),
  /** Pass as `before` to get the next (older) page; null on the last page. */
  nextBefore: z.number().int().nullable(),
});

/** Totals of one bucket (and group): what the charts plot. */
export const usageTotalsSchema = z.strictObject({
  requests: z.number().int(),
  errors: z.number().int(),
  ...tokenFields,
  estimatedRequests: z.number().int(),
  /** Dollars of the priced requests; see unpricedRequests and includedRequests for the rest. */
  costUsd: z.number(),
  unpricedRequests: z.number().int(),
  includedRequests: z.number().int(),
  latencyAvgMs: z.number().nullable(),
  /** Null when the range is answered from rollups (raw rows expired): percentiles need the raw rows. */
  latencyP50Ms: z.number().nullable(),
  latencyP95Ms: z.number().nullable(),
  ...guardFields,
  /** Requests whose client received a 429: rate limits the guard could not absorb. */
  rateLimitedReachedClient: z.number().int(),
});

export const usageSummaryViewSchema = z.strictObject({
  from: z.number(),
  to: z.number(),
  bucket: z.enum(usageBuckets),
  groupBy: z.enum(usageGroupings).nullable(),
  /** raw: per-request rows; rollup: hourly/daily totals (the range reaches past the raw rows' retention). */
  source: z.enum(['raw', 'rollup']),
  buckets: z.array(z.strictObject({ start: z.number(), group: z.string().nullable(), totals: usageTotalsSchema })),
  totals: usageTotalsSchema,
});

/** One key's or account's use over a range, for the per-key table. */
export const credentialUsageViewSchema = z.strictObject({
  provider: z.string(),
  keyId: z.string().nullable(),
  accountId: z.string().nullable(),
  /** The first and the last request in the range. */
  firstUsedAt: z.number().nullable(),
  lastUsedAt: z.number().nullable(),
  totals: usageTotalsSchema,
});

/** The ledger's own state, for the dashboard: is recording working, and where is the file. */
export const ledgerStatusViewSchema = z.strictObject({
  health: z.enum(ledgerHealths),
  /** For people: why the health is what it is ("the database is locked by another process; 12 records waiting"). */
  message: z.string().nullable(),
  path: z.string(),
  queued: z.number().int(),
  recorded: z.number().int(),
  /** Records lost because the queue overflowed while the database could not be written. */
  dropped: z.number().int(),
  /** A damaged file moved aside (kept for the user) when a fresh one replaced it. */
  quarantinedFile: z.string().nullable(),
  usedBytes: z.number().int().nullable(),
});

export type UsageRequestView = z.infer<typeof usageRequestViewSchema>;
export type UsageRequestPage = z.infer<typeof usageRequestPageSchema>;
export type UsageTotals = z.infer<typeof usageTotalsSchema>;
export type UsageSummaryView = z.infer<typeof usageSummaryViewSchema>;
export type CredentialUsageView = z.infer<typeof credentialUsageViewSchema>;
export type LedgerStatusView = z.infer<typeof ledgerStatusViewSchema>;
export type UsageBucket = (typeof usageBuckets)[number];
export type UsageGrouping = (typeof usageGroupings)[number];
export type LedgerHealth = (typeof ledgerHealths)[number];
