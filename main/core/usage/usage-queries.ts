// What the control service asks the ledger: a range summary (grouped, bucketed), recent requests (paged and
// filtered) and per-key/account usage. All ranges are [from, to) in epoch milliseconds; buckets are UTC.
import type Database from 'better-sqlite3';
import type {
  CredentialUsageView,
  UsageBucket,
  UsageGrouping,
  UsageRequestPage,
  UsageRequestView,
  UsageSummaryView,
  UsageTotals,
} from '../../../shared/usage-views.ts';
import type { LatencyPercentiles, UsageLatencyView } from '../../../shared/latency-views.ts';
import { dayMs, hourMs } from './usage-row-writer.ts';
import type { TotalsRow } from './usage-totals.ts';
import { percentile, rawTotalsSql, rollupTotalsSql, totalsFromRow } from './usage-totals.ts';

const bucketMs: Record<UsageBucket, number> = { minute: 60_000, hour: hourMs, day: dayMs };

/** The expression a grouping reads, over raw rows and over rollups. */
const rawGroup: Record<UsageGrouping, string> = {
  provider: "IFNULL(provider, '')",
  model: "IFNULL(model, '')",
  key: "IFNULL(provider, '') || '/' || CASE WHEN key_id IS NOT NULL THEN 'key:' || key_id WHEN account_id IS NOT NULL THEN 'account:' || account_id ELSE '' END",
  clientFormat: 'client_format',
  route: "CASE WHEN route IS NULL THEN '' ELSE route_kind || ':' || route END",
};
const rollupGroup: Record<UsageGrouping, string> = {
  provider: 'provider',
  model: 'model',
  key: "provider || '/' || credential",
  clientFormat: 'client_format',
  route: 'route',
};

export interface SummaryQuery {
  from: number;
  to: number;
  bucket: UsageBucket;
  groupBy?: UsageGrouping;
}

export class UsageQueryError extends Error {}

function checkRange(from: number, to: number): void {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) throw new UsageQueryError('expected a range with from before to');
}

/** The oldest raw row still kept: ranges starting before it are answered from rollups. */
function rawCoverageStart(db: Database.Database): number | null {
  const row = db.prepare('SELECT MIN(started_at) AS oldest FROM requests').get() as { oldest: number | null };
  return row.oldest;
}

export function summarizeUsage(db: Database.Database, query: SummaryQuery, retentionStart: number): UsageSummaryView {
  checkRange(query.from, query.to);
  const size = bucketMs[query.bucket];
  const oldest = rawCoverageStart(db);
  // Raw rows answer when they still cover the range; otherwise the rollups do (no percentiles, hour/day only).
  const fromRollups = query.from < retentionStart && (oldest === null || query.from < oldest);
  if (fromRollups && query.bucket === 'minute') throw new UsageQueryError('minute buckets need per-request rows, which are kept only for the retention period');
  const group = query.groupBy ? (fromRollups ? rollupGroup : rawGroup)[query.groupBy] : 'NULL';
  const buckets: UsageSummaryView['buckets'] = [];
  let totals: UsageTotals;
  if (fromRollups) {
    const granularity = query.bucket === 'day' ? 'day' : 'hour';
    // Rollups are whole hours or days: the one the range starts in counts whole.
    const alignedFrom = Math.floor(query.from / bucketMs[granularity]) * bucketMs[granularity];
    const rows = db
      .prepare(`SELECT (bucket_start / ${size}) * ${size} AS start, ${group} AS grp, ${rollupTotalsSql} FROM rollups
        WHERE granularity = ? AND bucket_start >= ? AND bucket_start < ? GROUP BY start, grp ORDER BY start, grp`)
      .all(granularity, alignedFrom, query.to) as (TotalsRow & { start: number; grp: string | null })[];
    for (const row of rows) buckets.push({ start: row.start, group: row.grp, totals: totalsFromRow(row) });
    totals = totalsFromRow(db.prepare(`SELECT ${rollupTotalsSql} FROM rollups WHERE granularity = ? AND bucket_start >= ? AND bucket_start < ?`).get(granularity, alignedFrom, query.to) as TotalsRow);
  } else {
    const rows = db
      .prepare(`SELECT (started_at / ${size}) * ${size} AS start, ${group} AS grp, ${rawTotalsSql} FROM requests
        WHERE started_at >= ? AND started_at < ? GROUP BY start, grp ORDER BY start, grp`)
      .all(query.from, query.to) as (TotalsRow & { start: number; grp: string | null })[];
    // Percentiles per bucket and group: durations stream in sorted order, one group's list in memory at a time.
    const latency = new Map<string, { p50: number | null; p95: number | null }>();
    let current: string | undefined;
    let durations: number[] = [];
    const close = () => {
      if (current !== undefined) latency.set(current, { p50: percentile(durations, 0.5), p95: percentile(durations, 0.95) });
    };
    const durationRows = db
      .prepare(`SELECT (started_at / ${size}) * ${size} AS start, ${group} AS grp, duration_ms AS duration FROM requests
        WHERE started_at >= ? AND started_at < ? ORDER BY start, grp, duration_ms`)
      .iterate(query.from, query.to) as IterableIterator<{ start: number; grp: string | null; duration: number }>;
    for (const row of durationRows) {
      const id = `${row.start}\u0000${row.grp}`;
      if (id !== current) {
        close();
        current = id;
        durations = [];
      }
      durations.push(row.duration);
    }
    close();
    for (const row of rows) buckets.push({ start: row.start, group: row.grp, totals: totalsFromRow(row, latency.get(`${row.start}\u0000${row.grp}`)) });
    const totalsRow = db.prepare(`SELECT ${rawTotalsSql} FROM requests WHERE started_at >= ? AND started_at < ?`).get(query.from, query.to) as TotalsRow;
    // The range's own percentiles by rank (SQLite sorts on disk if it must), so a long range is never held in memory.
    const count = Number(totalsRow.requests ?? 0);
    const ranked = db.prepare('SELECT duration_ms FROM requests WHERE started_at >= ? AND started_at < ? ORDER BY duration_ms LIMIT 1 OFFSET ?').pluck();
    const at = (fraction: number) => (count === 0 ? null : (ranked.get(query.from, query.to, Math.max(0, Math.ceil(fraction * count) - 1)) as number));
    totals = totalsFromRow(totalsRow, { p50: at(0.5), p95: at(0.95) });
  }
  return { from: query.from, to: query.to, bucket: query.bucket, groupBy: query.groupBy ?? null, source: fromRollups ? 'rollup' : 'raw', buckets, totals };
}

export interface RecentQuery {
  /** Rows older than this id (the previous page's nextBefore). */
  before?: number;
  limit?: number;
  from?: number;
  to?: number;
  provider?: string;
  model?: string;
  keyId?: string;
  accountId?: string;
  clientFormat?: string;
  outcome?: string;
  route?: string;
}

const maxPage = 500;

/** Columns as the view names them. */
export const requestViewColumns = `id, started_at AS startedAt, duration_ms AS durationMs, ttfb_ms AS ttfbMs, client_format AS clientFormat,
  requested_model AS requestedModel, route_kind AS routeKind, route, provider, model, key_id AS keyId, account_id AS accountId,
  attempts, outcome, error_code AS errorCode, status, stream, input_tokens AS inputTokens, output_tokens AS outputTokens,
  cache_read_tokens AS cacheReadTokens, cache_write_tokens AS cacheWriteTokens, reasoning_tokens AS reasoningTokens, estimated,
  cost_basis AS costBasis, cost_usd AS costUsd, price_version AS priceVersion, upstream_rate_limited AS upstreamRateLimited,
  upstream_failures AS upstreamFailures, key_rotations AS keyRotations, fallbacks, rate_limits_retried AS rateLimitsRetried,
  rate_limits_rotated AS rateLimitsRotated, rate_limits_fell_back AS rateLimitsFellBack`;

export function requestView(row: Record<string, unknown>): UsageRequestView {
  return { ...(row as unknown as UsageRequestView), stream: row.stream === 1, estimated: row.estimated === 1 };
}

export function recentRequests(db: Database.Database, query: RecentQuery = {}): UsageRequestPage {
  const limit = Math.max(1, Math.min(maxPage, Math.floor(query.limit ?? 50)));
  const where: string[] = [];
  const values: (string | number)[] = [];
  const equals: [keyof RecentQuery, string][] = [
    ['provider', 'provider'], ['model', 'model'], ['keyId', 'key_id'], ['accountId', 'account_id'],
    ['clientFormat', 'client_format'], ['outcome', 'outcome'], ['route', 'route'],
  ];
  for (const [field, column] of equals) {
    const value = query[field];
    if (typeof value === 'string') {
      where.push(`${column} = ?`);
      values.push(value);
    }
  }
  const bounds: [number | undefined, string][] = [[query.before, 'id < ?'], [query.from, 'started_at >= ?'], [query.to, 'started_at < ?']];
  for (const [value, condition] of bounds) {
    if (value === undefined) continue;
    where.push(condition);
    values.push(value);
  }
  const rows = db
    .prepare(`SELECT ${requestViewColumns} FROM requests ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`)
    .all(...values, limit + 1) as Record<string, unknown>[];
  const page = rows.slice(0, limit).map(requestView);
  return { requests: page, nextBefore: rows.length > limit ? page[page.length - 1]!.id : null };
}

/** Each key's and account's use over [from, to), busiest first. */
export function credentialUsage(db: Database.Database, from: number, to: number): CredentialUsageView[] {
  checkRange(from, to);
  const rows = db
    .prepare(`SELECT provider, key_id AS keyId, account_id AS accountId, MIN(started_at) AS firstUsedAt, MAX(started_at) AS lastUsedAt, ${rawTotalsSql} FROM requests
      WHERE started_at >= ? AND started_at < ? AND provider IS NOT NULL AND (key_id IS NOT NULL OR account_id IS NOT NULL)
      GROUP BY provider, key_id, account_id ORDER BY requests DESC`)
    .all(from, to) as (TotalsRow & { provider: string; keyId: string | null; accountId: string | null; firstUsedAt: number | null; lastUsedAt: number | null })[];
  return rows.map((row) => ({ provider: row.provider, keyId: row.keyId, accountId: row.accountId, firstUsedAt: row.firstUsedAt, lastUsedAt: row.lastUsedAt, totals: totalsFromRow(row) }));
}

export interface LatencyQuery {
  from: number;
  to: number;
  bucket: UsageBucket;
}

type PercentileRow = { start: number; n: number; p50: number | null; p95: number | null };

/**
 * Exact nearest-rank p50 and p95 of one column per bucket, computed by SQLite: rows are ranked within their bucket
 * (a window function; SQLite sorts on disk when it must), and a percentile p is the smallest value whose rank r has
 * r ≥ p·n, written as r·100 ≥ n·p100 to stay in integers.
 */
function percentilesByBucket(db: Database.Database, column: 'duration_ms' | 'ttfb_ms', bucketExpression: string, from: number, to: number): Map<number, PercentileRow> {
  const rows = db
    .prepare(`WITH ranked AS (
        SELECT ${bucketExpression} AS start, ${column} AS value,
          ROW_NUMBER() OVER (PARTITION BY ${bucketExpression} ORDER BY ${column}) AS rank,
          COUNT(*) OVER (PARTITION BY ${bucketExpression}) AS n
        FROM requests WHERE started_at >= ? AND started_at < ? AND ${column} IS NOT NULL)
      SELECT start, n, MIN(CASE WHEN rank * 100 >= n * 50 THEN value END) AS p50, MIN(CASE WHEN rank * 100 >= n * 95 THEN value END) AS p95
      FROM ranked GROUP BY start ORDER BY start`)
    .all(from, to) as PercentileRow[];
  return new Map(rows.map((row) => [row.start, row]));
}

function latencyOf(duration: PercentileRow | undefined, ttfb: PercentileRow | undefined): LatencyPercentiles {
  return {
    requests: duration?.n ?? 0,
    durationP50Ms: duration?.p50 ?? null,
    durationP95Ms: duration?.p95 ?? null,
    ttfbRequests: ttfb?.n ?? 0,
    ttfbP50Ms: ttfb?.p50 ?? null,
    ttfbP95Ms: ttfb?.p95 ?? null,
  };
}

/** p50/p95 of duration and time to first byte per bucket of [from, to), and over the whole range, from raw rows only. */
export function latencyPercentiles(db: Database.Database, query: LatencyQuery): UsageLatencyView {
  checkRange(query.from, query.to);
  const size = bucketMs[query.bucket];
  const bucketed = `(started_at / ${size}) * ${size}`;
  const duration = percentilesByBucket(db, 'duration_ms', bucketed, query.from, query.to);
  const ttfb = percentilesByBucket(db, 'ttfb_ms', bucketed, query.from, query.to);
  const buckets = [...duration.keys()].sort((a, b) => a - b).map((start) => ({ start, ...latencyOf(duration.get(start), ttfb.get(start)) }));
  const overall = latencyOf(percentilesByBucket(db, 'duration_ms', '0', query.from, query.to).get(0), percentilesByBucket(db, 'ttfb_ms', '0', query.from, query.to).get(0));
  return { from: query.from, to: query.to, bucket: query.bucket, rawFrom: rawCoverageStart(db), buckets, overall };
}
