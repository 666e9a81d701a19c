import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryDataDir, usageEvent } from '../../../test/helpers/usage-events.ts';
import { openUsageDatabase } from './open-usage-database.ts';
import { maintainUsageDatabase, usedBytes } from './usage-maintenance.ts';
import { createRowWriter, dayMs } from './usage-row-writer.ts';
import { buildUsageRecord } from './build-usage-record.ts';
import { createPriceTable } from './price-table.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const now = Date.UTC(2026, 11, 1);

function ledgerWith(count: number, spacingMs: number) {
  const temporary = temporaryDataDir();
  cleanups.push(temporary.remove);
  const path = join(temporary.dir, 'usage.db');
  const { db } = openUsageDatabase(path);
  cleanups.unshift(() => db.close());
  const prices = createPriceTable();
  const records = Array.from({ length: count }, (_, index) => buildUsageRecord(usageEvent({ startedAt: now - (count - index) * spacingMs, requestedModel: `model-${index}`.padEnd(120, 'x') }), prices));
  createRowWriter(db)(records);
  return { db, path };
}

const count = (db: ReturnType<typeof ledgerWith>['db'], sql: string) => (db.prepare(sql).pluck().get() as number);

describe('usage maintenance', () => {
  it('deletes raw rows past the retention and keeps their rollups', () => {
    const { db } = ledgerWith(200, dayMs); // one row a day for 200 days
    const dailyBefore = count(db, "SELECT SUM(requests) FROM rollups WHERE granularity = 'day'");
    const result = maintainUsageDatabase(db, { retentionDays: 90, maxDatabaseBytes: 1 << 30 }, now);
    expect(result.expiredRows).toBe(110);
    expect(count(db, 'SELECT COUNT(*) FROM requests')).toBe(90);
    expect(count(db, 'SELECT MIN(started_at) FROM requests')).toBeGreaterThanOrEqual(now - 90 * dayMs);
    expect(count(db, "SELECT SUM(requests) FROM rollups WHERE granularity = 'day'")).toBe(dailyBefore);
    expect(count(db, "SELECT SUM(requests) FROM rollups WHERE granularity = 'hour'")).toBe(200);
  });

  it('past the size cap the oldest raw rows go first, and the file gives the space back', () => {
    const { db, path } = ledgerWith(20_000, 1000);
    const before = usedBytes(db);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const fileBefore = statSync(path).size;
    const cap = Math.floor(before / 3);
    const result = maintainUsageDatabase(db, { retentionDays: 3650, maxDatabaseBytes: cap }, now);
    expect(result.cappedRows).toBeGreaterThan(0);
    expect(result.usedBytes).toBeLessThanOrEqual(cap);
    const left = count(db, 'SELECT COUNT(*) FROM requests');
    expect(left).toBe(20_000 - result.cappedRows);
    // The newest rows are the ones kept.
    expect(count(db, 'SELECT MAX(started_at) FROM requests')).toBe(now - 1000);
    expect(count(db, 'SELECT MIN(started_at) FROM requests')).toBe(now - left * 1000);
    expect(statSync(path).size).toBeLessThan(fileBefore);
    expect(count(db, "SELECT SUM(requests) FROM rollups WHERE granularity = 'day'")).toBe(20_000);
  });
});
