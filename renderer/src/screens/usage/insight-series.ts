// Pure helpers for the latency chart, the guard's-work chart and the limits table: one row per bucket of the range
// (empty buckets too, so time runs evenly), and how a key's usage and its limits are joined. No React here.
import type { UsageLatencyView } from '../../../../shared/latency-views.ts';
import type { CredentialQuotaView } from '../../../../shared/quota-views.ts';
import type { CredentialUsageView, UsageSummaryView, UsageTotals } from '../../../../shared/usage-views.ts';

const bucketMs = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
const maxRows = 2_000;

function bucketStarts(from: number, to: number, bucket: keyof typeof bucketMs): number[] {
  const size = bucketMs[bucket];
  const starts: number[] = [];
  for (let start = Math.floor(from / size) * size; start < to && starts.length < maxRows; start += size) starts.push(start);
  return starts;
}

export const latencySeries = [
  { key: 'ttfbP50Ms', label: 'first byte p50', colour: '#3b82f6', dashed: false },
  { key: 'ttfbP95Ms', label: 'first byte p95', colour: '#3b82f6', dashed: true },
  { key: 'durationP50Ms', label: 'total p50', colour: '#14a38f', dashed: false },
  { key: 'durationP95Ms', label: 'total p95', colour: '#14a38f', dashed: true },
] as const;

export type LatencyRow = { start: number } & Record<(typeof latencySeries)[number]['key'], number | null>;

/** A point per bucket; a bucket without requests has no point (null), so the line breaks rather than dips to 0. */
export function latencyRows(view: UsageLatencyView): LatencyRow[] {
  const byStart = new Map(view.buckets.map((bucket) => [bucket.start, bucket]));
  return bucketStarts(view.from, view.to, view.bucket).map((start) => {
    const bucket = byStart.get(start);
    return { start, ttfbP50Ms: bucket?.ttfbP50Ms ?? null, ttfbP95Ms: bucket?.ttfbP95Ms ?? null, durationP50Ms: bucket?.durationP50Ms ?? null, durationP95Ms: bucket?.durationP95Ms ?? null };
  });
}

/** How rate-limited answers ended: three ways the guard absorbed them, and the ones a client received. */
export const guardWorkSeries = [
  { key: 'retried', label: 'retried on the key', colour: '#14a38f', pick: (totals: UsageTotals) => totals.rateLimitsRetried },
  { key: 'rotated', label: 'another key', colour: '#3b82f6', pick: (totals: UsageTotals) => totals.rateLimitsRotated },
  { key: 'fellBack', label: 'next combo target', colour: '#a35ee8', pick: (totals: UsageTotals) => totals.rateLimitsFellBack },
  { key: 'reachedClient', label: 'reached a client', colour: '#e05757', pick: (totals: UsageTotals) => totals.rateLimitedReachedClient },
] as const;

export type GuardWorkRow = { start: number } & Record<(typeof guardWorkSeries)[number]['key'], number>;

/** One row per bucket, the groups of a grouped summary added up (these counts stack, unlike percentiles). */
export function guardWorkRows(summary: UsageSummaryView): GuardWorkRow[] {
  const rows = new Map(bucketStarts(summary.from, summary.to, summary.bucket).map((start) => [start, { start, retried: 0, rotated: 0, fellBack: 0, reachedClient: 0 } as GuardWorkRow]));
  for (const bucket of summary.buckets) {
    const row = rows.get(bucket.start);
    if (!row) continue;
    for (const series of guardWorkSeries) row[series.key] += series.pick(bucket.totals);
  }
  return [...rows.values()];
}

export function guardWorkTotals(totals: UsageTotals): { absorbed: number; reachedClient: number } {
  return { absorbed: totals.rateLimitsRetried + totals.rateLimitsRotated + totals.rateLimitsFellBack, reachedClient: totals.rateLimitedReachedClient };
}

export interface CredentialRow {
  id: string;
  provider: string;
  providerName: string;
  /** "key-2" or "account octo". */
  name: string;
  usage: CredentialUsageView | undefined;
  quota: CredentialQuotaView | undefined;
}

/**
 * Every key or account that was used in the range or has a limit, busiest first, then the idle ones with limits.
 * `providerNames` maps a provider id to the name people gave it.
 */
export function credentialRows(usage: readonly CredentialUsageView[], quota: readonly CredentialQuotaView[]): CredentialRow[] {
  const idOf = (provider: string, keyId: string | null, accountId: string | null) => `${provider}/${accountId ? `account:${accountId}` : `key:${keyId}`}`;
  const rows = new Map<string, CredentialRow>();
  for (const entry of usage) {
    const id = idOf(entry.provider, entry.keyId, entry.accountId);
    rows.set(id, { id, provider: entry.provider, providerName: entry.provider, name: entry.accountId ? `account ${entry.accountId}` : (entry.keyId ?? ''), usage: entry, quota: undefined });
  }
  for (const entry of quota) {
    const id = idOf(entry.provider, entry.keyId, entry.accountId);
    const name = entry.accountId ? `account ${entry.label}` : entry.label;
    rows.set(id, { ...(rows.get(id) ?? { id, provider: entry.provider, usage: undefined }), providerName: entry.providerName, name, quota: entry });
  }
  return [...rows.values()];
}
