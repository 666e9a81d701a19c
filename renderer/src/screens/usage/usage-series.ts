// Pure helpers of the Usage screen: which bucket a range is drawn in, how the ledger's buckets become chart rows,
// and how numbers are written. No React here, so they are easy to check.
import type { UsageSummaryView, UsageTotals } from '../../../../shared/usage-views.ts';

export const usageRanges = [
  { id: '1h', label: '1 h', ms: 3_600_000, bucket: 'minute' },
  { id: '24h', label: '24 h', ms: 86_400_000, bucket: 'hour' },
  { id: '7d', label: '7 d', ms: 7 * 86_400_000, bucket: 'hour' },
  { id: '30d', label: '30 d', ms: 30 * 86_400_000, bucket: 'day' },
] as const;
export type UsageRange = (typeof usageRanges)[number];

const bucketMs = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/** The range ending now, with `from` on a bucket boundary so the first bar is a whole one. */
export function rangeWindow(range: UsageRange, now: number): { from: number; to: number } {
  const size = bucketMs[range.bucket];
  return { from: Math.floor((now - range.ms) / size) * size + size, to: now };
}

/** Series beyond this many are added up as "other", so a chart stays readable. */
const maxSeries = 6;
export const otherSeries = 'other';

/** A group's label: requests refused before any provider was chosen have none. */
export const notRouted = 'not routed';
function seriesName(group: string | null): string {
  if (group === null) return 'all';
  return group === '' ? notRouted : group;
}

export interface ChartRows {
  series: string[];
  rows: Array<Record<string, number>>;
}

/**
 * One row per bucket of the range (empty buckets too, so time runs evenly), one column per group for `pick`,
 * biggest groups first.
 */
export function chartRows(summary: UsageSummaryView, pick: (totals: UsageTotals) => number): ChartRows {
  const size = bucketMs[summary.bucket];
  // Ranked by requests in every chart, so a provider keeps its colour from one chart to the next.
  const sums = new Map<string, number>();
  for (const bucket of summary.buckets) sums.set(seriesName(bucket.group), (sums.get(seriesName(bucket.group)) ?? 0) + bucket.totals.requests);
  const ranked = [...sums.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const kept = ranked.length > maxSeries ? ranked.slice(0, maxSeries - 1) : ranked;
  const series = ranked.length > maxSeries ? [...kept, otherSeries] : kept;
  const byStart = new Map<number, Record<string, number>>();
  const first = Math.floor(summary.from / size) * size;
  for (let start = first; start < summary.to && byStart.size < 2_000; start += size) byStart.set(start, Object.fromEntries([['start', start], ...series.map((name) => [name, 0])]));
  for (const bucket of summary.buckets) {
    const row = byStart.get(bucket.start);
    if (!row) continue;
    const name = kept.includes(seriesName(bucket.group)) ? seriesName(bucket.group) : otherSeries;
    row[name] = (row[name] ?? 0) + pick(bucket.totals);
  }
  return { series, rows: [...byStart.values()] };
}

export const allTokens = (totals: UsageTotals): number => totals.inputTokens + totals.outputTokens + totals.cacheReadTokens + totals.cacheWriteTokens;

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en');

export function formatCount(value: number): string {
  return value >= 10_000 ? compact.format(value) : whole.format(value);
}

export function formatUsd(value: number): string {
  if (value === 0) return '$0.00';
  if (value < 0.01) return `$${value.toFixed(4)}`;
  return `$${value.toFixed(2)}`;
}

export function formatMs(value: number | null): string {
  if (value === null) return '–';
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

export function bucketLabel(start: number, bucket: UsageSummaryView['bucket']): string {
  const date = new Date(start);
  if (bucket === 'day') return date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** Colours that read on the light and the dark theme alike. */
export const seriesColours = ['#14a38f', '#3b82f6', '#e0952b', '#a35ee8', '#e05757', '#7c8696'];
