import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryDataDir, usageEvent } from '../../../test/helpers/usage-events.ts';
import { buildUsageRecord } from './build-usage-record.ts';
import { openUsageDatabase } from './open-usage-database.ts';
import { createPriceTable } from './price-table.ts';
import type { UsageRecord } from './usage-record.ts';
import { createRowWriter } from './usage-row-writer.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A record whose every column differs from the same column of every other record, so a misplaced value shows. */
function distinctRecord(n: number): UsageRecord {
  const record = buildUsageRecord(
    usageEvent({
      startedAt: Date.UTC(2026, 11, 1, 12) + n * 1000,
      durationMs: 100 + n,
      ttfbMs: n % 3 === 0 ? null : 10 + n,
      requestedModel: `asked-${n}`,
      routeKind: n % 2 === 0 ? 'combo' : 'direct',
      route: n % 2 === 0 ? `combo-${n}` : null,
      provider: `provider-${n % 4}`,
      model: `model-${n}`,
      keyId: n % 5 === 0 ? null : `key-${n}`,
      accountId: n % 5 === 0 ? `account-${n}` : null,
      attempts: 1 + (n % 3),
      outcome: n % 7 === 0 ? 'error' : 'ok',
      errorCode: n % 7 === 0 ? `code-${n}` : null,
      status: n % 7 === 0 ? 502 : 200,
      stream: n % 2 === 1,
      usage: { inputTokens: 1000 + n, outputTokens: 200 + n, cacheReadTokens: n, cacheWriteTokens: 2 * n, reasoningTokens: n % 50 },
      upstreamRateLimited: n % 2,
      upstreamFailures: n % 3,
      keyRotations: n % 4,
      fallbacks: n % 5,
      rateLimitsRetried: n % 6,
      rateLimitsRotated: n % 7,
      rateLimitsFellBack: n % 8,
    }),
    createPriceTable(),
  );
  return record;
}

const asRow = (record: UsageRecord) => ({
  started_at: record.startedAt,
  duration_ms: record.durationMs,
  ttfb_ms: record.ttfbMs,
  client_format: record.clientFormat,
  requested_model: record.requestedModel,
  route_kind: record.routeKind,
  route: record.route,
  provider: record.provider,
  model: record.model,
  key_id: record.keyId,
  account_id: record.accountId,
  attempts: record.attempts,
  outcome: record.outcome,
  error_code: record.errorCode,
  status: record.status,
  stream: record.stream ? 1 : 0,
  input_tokens: record.tokens.inputTokens,
  output_tokens: record.tokens.outputTokens,
  cache_read_tokens: record.tokens.cacheReadTokens,
  cache_write_tokens: record.tokens.cacheWriteTokens,
  reasoning_tokens: record.tokens.reasoningTokens,
  estimated: record.estimated ? 1 : 0,
  cost_basis: record.costBasis,
  cost_usd: record.costUsd,
  price_version: record.priceVersion,
  upstream_rate_limited: record.upstreamRateLimited,
  upstream_failures: record.upstreamFailures,
  key_rotations: record.keyRotations,
  fallbacks: record.fallbacks,
  rate_limits_retried: record.rateLimitsRetried,
  rate_limits_rotated: record.rateLimitsRotated,
  rate_limits_fell_back: record.rateLimitsFellBack,
});

describe('usage row writer', () => {
  // Batches are inserted sixteen rows per statement, the rest one by one: every size around those edges must give
  // exactly its records, in order, each value in its own column.
  it.each([1, 15, 16, 17, 33, 64])('writes a batch of %i records column for column, in order', (count) => {
    const temporary = temporaryDataDir();
    cleanups.push(temporary.remove);
    const { db } = openUsageDatabase(join(temporary.dir, 'usage.db'));
    cleanups.unshift(() => db.close());
    const records = Array.from({ length: count }, (_, n) => distinctRecord(n));
    createRowWriter(db)(records);
    const rows = db.prepare('SELECT * FROM requests ORDER BY id').all() as Record<string, unknown>[];
    expect(rows.map(({ id: _id, ...columns }) => columns)).toEqual(records.map(asRow));
    const hourly = db.prepare("SELECT SUM(requests) AS requests, SUM(input_tokens) AS input FROM rollups WHERE granularity = 'hour'").get() as { requests: number; input: number };
    expect(hourly).toEqual({ requests: count, input: records.reduce((sum, record) => sum + record.tokens.inputTokens, 0) });
  });
});
