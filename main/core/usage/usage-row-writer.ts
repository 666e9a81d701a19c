// Writes ledger rows: the raw row and, in the same transaction, its hourly and daily rollups (kept after the raw
// row expires). Buckets are UTC hours and days.
import type Database from 'better-sqlite3';
import type { UsageRecord } from './usage-record.ts';

export const hourMs = 3_600_000;
export const dayMs = 86_400_000;

/** A key or account, as the ledger groups them: `key:<id>` or `account:<id>`, '' when neither. */
export function credentialOf(record: Pick<UsageRecord, 'keyId' | 'accountId'>): string {
  if (record.keyId !== null) return `key:${record.keyId}`;
  return record.accountId !== null ? `account:${record.accountId}` : '';
}

/** `combo:name`, `alias:name`, `scenario:name`, or null for a direct provider/model. */
export function routeOf(record: Pick<UsageRecord, 'routeKind' | 'route'>): string | null {
  return record.route === null ? null : `${record.routeKind}:${record.route}`;
}

/** Which journal's lines a batch brings, up to which one (recorded with the rows, in their transaction). */
export interface JournalMark {
  journal: string;
  seq: number;
}

/** Writes the rows (and their rollups) in one transaction; with a mark, also that SQLite now holds that journal through it. */
export type RowWriter = (records: readonly UsageRecord[], mark?: JournalMark) => void;

export function createRowWriter(db: Database.Database): RowWriter {
  // Positional parameters filled into one reused array: binding ~30 named parameters from an object spread per row
  // cost about twice as much as the insert itself. Rows go in sixteen per statement where a batch has them (SQLite's
  // per-statement work then runs once for sixteen rows, about a quarter less per row), the rest one by one
  // (docs/performance.md, "Usage recording").
  const columns = `INSERT INTO requests (started_at, duration_ms, ttfb_ms, client_format, requested_model, route_kind, route, provider, model,
      key_id, account_id, attempts, outcome, error_code, status, stream, input_tokens, output_tokens, cache_read_tokens,
      cache_write_tokens, reasoning_tokens, estimated, cost_basis, cost_usd, price_version, upstream_rate_limited,
      upstream_failures, key_rotations, fallbacks, rate_limits_retried, rate_limits_rotated, rate_limits_fell_back) VALUES `;
  const rowPlaceholders = `(${Array.from({ length: rowValues }, () => '?').join(', ')})`;
  const insertOne = db.prepare(columns + rowPlaceholders);
  const insertGroup = db.prepare(columns + Array.from({ length: rowsPerGroup }, () => rowPlaceholders).join(', '));
  const one: unknown[] = new Array(rowValues);
  const group: unknown[] = new Array(rowValues * rowsPerGroup);
  const insertRows = (records: readonly UsageRecord[]) => {
    let index = 0;
    for (; index + rowsPerGroup <= records.length; index += rowsPerGroup) {
      for (let row = 0; row < rowsPerGroup; row++) fillRow(group, row * rowValues, records[index + row]!);
      insertGroup.run(group);
    }
    for (; index < records.length; index++) {
      fillRow(one, 0, records[index]!);
      insertOne.run(one);
    }
  };
  const rollup = db.prepare(`
    INSERT INTO rollups VALUES (@granularity, @bucketStart, @provider, @model, @credential, @clientFormat, @route,
      @requests, @error, @inputTokens, @outputTokens, @cacheReadTokens, @cacheWriteTokens, @reasoningTokens, @estimated,
      @cost, @unpriced, @included, @durationMs, @upstreamRateLimited, @upstreamFailures, @keyRotations, @fallbacks, @rateLimitedToClient,
      @rateLimitsRetried, @rateLimitsRotated, @rateLimitsFellBack)
    ON CONFLICT DO UPDATE SET requests = requests + excluded.requests, errors = errors + excluded.errors,
      input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
      cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens, cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens,
      reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens, estimated_requests = estimated_requests + excluded.estimated_requests,
      cost_usd = cost_usd + excluded.cost_usd, unpriced_requests = unpriced_requests + excluded.unpriced_requests,
      included_requests = included_requests + excluded.included_requests, duration_ms_sum = duration_ms_sum + excluded.duration_ms_sum,
      upstream_rate_limited = upstream_rate_limited + excluded.upstream_rate_limited, upstream_failures = upstream_failures + excluded.upstream_failures,
      key_rotations = key_rotations + excluded.key_rotations, fallbacks = fallbacks + excluded.fallbacks,
      rate_limited_reached_client = rate_limited_reached_client + excluded.rate_limited_reached_client,
      rate_limits_retried = rate_limits_retried + excluded.rate_limits_retried, rate_limits_rotated = rate_limits_rotated + excluded.rate_limits_rotated,
      rate_limits_fell_back = rate_limits_fell_back + excluded.rate_limits_fell_back`);

  const setMark = db.prepare('INSERT INTO journal_state VALUES (@journal, @seq) ON CONFLICT (journal) DO UPDATE SET last_seq = excluded.last_seq');

  // Rows of one batch that fall in the same bucket and group become one upsert: a batch of a few hundred requests
  // from one client to one model touches two rollup rows, not two per request.
  type Bucket = RollupRow & { granularity: string; bucketStart: number };
  const addToBucket = (rollups: Map<string, Bucket>, granularity: 'hour' | 'day', bucketStart: number, group: string, row: RollupRow) => {
    const key = `${granularity}\u0000${bucketStart}\u0000${group}`;
    const existing = rollups.get(key);
    if (!existing) rollups.set(key, { ...row, granularity, bucketStart });
    else for (const field of summedFields) existing[field] += row[field];
  };

  const writeAll = db.transaction((records: readonly UsageRecord[], mark: JournalMark | undefined) => {
    const rollups = new Map<string, Bucket>();
    insertRows(records);
    for (const record of records) {
      const row = rollupRowOf(record);
      const group = `${row.provider}\u0000${row.model}\u0000${row.credential}\u0000${row.clientFormat}\u0000${row.route}`;
      addToBucket(rollups, 'hour', Math.floor(record.startedAt / hourMs) * hourMs, group, row);
      addToBucket(rollups, 'day', Math.floor(record.startedAt / dayMs) * dayMs, group, row);
    }
    for (const sums of rollups.values()) rollup.run(sums);
    if (mark) setMark.run(mark);
  });
  return (records, mark) => writeAll(records, mark);
}

/** Values per `requests` row, in the insert's column order (fillRow). */
const rowValues = 32;
const rowsPerGroup = 16;

function fillRow(values: unknown[], at: number, record: UsageRecord): void {
  const tokens = record.tokens;
  values[at] = record.startedAt;
  values[at + 1] = record.durationMs;
  values[at + 2] = record.ttfbMs;
  values[at + 3] = record.clientFormat;
  values[at + 4] = record.requestedModel;
  values[at + 5] = record.routeKind;
  values[at + 6] = record.route;
  values[at + 7] = record.provider;
  values[at + 8] = record.model;
  values[at + 9] = record.keyId;
  values[at + 10] = record.accountId;
  values[at + 11] = record.attempts;
  values[at + 12] = record.outcome;
  values[at + 13] = record.errorCode;
  values[at + 14] = record.status;
  values[at + 15] = record.stream ? 1 : 0;
  values[at + 16] = tokens.inputTokens;
  values[at + 17] = tokens.outputTokens;
  values[at + 18] = tokens.cacheReadTokens;
  values[at + 19] = tokens.cacheWriteTokens;
  values[at + 20] = tokens.reasoningTokens;
  values[at + 21] = record.estimated ? 1 : 0;
  values[at + 22] = record.costBasis;
  values[at + 23] = record.costUsd;
  values[at + 24] = record.priceVersion;
  values[at + 25] = record.upstreamRateLimited;
  values[at + 26] = record.upstreamFailures;
  values[at + 27] = record.keyRotations;
  values[at + 28] = record.fallbacks;
  values[at + 29] = record.rateLimitsRetried;
  values[at + 30] = record.rateLimitsRotated;
  values[at + 31] = record.rateLimitsFellBack;
}

/** The last line of a journal the database holds (0 when none). */
export function journalMark(db: Database.Database, journal: string): number {
  const row = db.prepare('SELECT last_seq AS seq FROM journal_state WHERE journal = ?').get(journal) as { seq: number } | undefined;
  return row?.seq ?? 0;
}

/** A journal that is gone (written in and deleted): its mark is no longer needed. */
export function forgetJournal(db: Database.Database, journal: string): void {
  db.prepare('DELETE FROM journal_state WHERE journal = ?').run(journal);
}

/** Journals the database has marks for. */
export function markedJournals(db: Database.Database): string[] {
  return (db.prepare('SELECT journal FROM journal_state').all() as { journal: string }[]).map((row) => row.journal);
}

const summedFields = [
  'error',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'reasoningTokens',
  'estimated',
  'cost',
  'unpriced',
  'included',
  'durationMs',
  'upstreamRateLimited',
  'upstreamFailures',
  'keyRotations',
  'fallbacks',
  'rateLimitedToClient',
  'rateLimitsRetried',
  'rateLimitsRotated',
  'rateLimitsFellBack',
  'requests',
] as const;

type RollupRow = { provider: string; model: string; credential: string; clientFormat: string; route: string } & Record<(typeof summedFields)[number], number>;

function rollupRowOf(record: UsageRecord): RollupRow {
  const tokens = record.tokens;
  return {
    provider: record.provider ?? '',
    model: record.model ?? '',
    credential: credentialOf(record),
    clientFormat: record.clientFormat,
    route: routeOf(record) ?? '',
    requests: 1,
    error: record.outcome === 'ok' ? 0 : 1,
    inputTokens: tokens.inputTokens,
    outputTokens: tokens.outputTokens,
    cacheReadTokens: tokens.cacheReadTokens,
    cacheWriteTokens: tokens.cacheWriteTokens,
    reasoningTokens: tokens.reasoningTokens,
    estimated: record.estimated ? 1 : 0,
    cost: record.costUsd ?? 0,
    unpriced: record.costBasis === 'unknown' ? 1 : 0,
    included: record.costBasis === 'included' ? 1 : 0,
    durationMs: record.durationMs,
    upstreamRateLimited: record.upstreamRateLimited,
    upstreamFailures: record.upstreamFailures,
    keyRotations: record.keyRotations,
    fallbacks: record.fallbacks,
    rateLimitedToClient: record.status === 429 ? 1 : 0,
    rateLimitsRetried: record.rateLimitsRetried,
    rateLimitsRotated: record.rateLimitsRotated,
    rateLimitsFellBack: record.rateLimitsFellBack,
  };
}
