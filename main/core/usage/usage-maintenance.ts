// Keeps the ledger within bounds: raw rows older than the retention are deleted (their rollups stay), and when
// the file grows past its cap the oldest raw rows go first until it fits. Deletes run in small batches so one pass
// never holds the engine's event loop for long; freed pages go back to the file system (incremental vacuum).
import type Database from 'better-sqlite3';
import { dayMs } from './usage-row-writer.ts';

const batchRows = 5_000;

export interface MaintenanceLimits {
  retentionDays: number;
  maxDatabaseBytes: number;
}

export interface MaintenanceResult {
  expiredRows: number;
  cappedRows: number;
  usedBytes: number;
}

/** Bytes the database really uses: its pages minus the free ones (a file does not shrink until vacuumed). */
export function usedBytes(db: Database.Database): number {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  return (pages - free) * pageSize;
}

export function maintainUsageDatabase(db: Database.Database, limits: MaintenanceLimits, now: number): MaintenanceResult {
  const cutoff = now - limits.retentionDays * dayMs;
  const expire = db.prepare('DELETE FROM requests WHERE id IN (SELECT id FROM requests WHERE started_at < ? ORDER BY started_at LIMIT ?)');
  const dropOldest = db.prepare('DELETE FROM requests WHERE id IN (SELECT id FROM requests ORDER BY started_at LIMIT ?)');
  let expiredRows = 0;
  for (;;) {
    const deleted = expire.run(cutoff, batchRows).changes;
    expiredRows += deleted;
    if (deleted < batchRows) break;
  }
  const rowCount = db.prepare('SELECT COUNT(*) FROM requests').pluck();
  let cappedRows = 0;
  for (let used = usedBytes(db); used > limits.maxDatabaseBytes; used = usedBytes(db)) {
    // About the share of raw rows that the excess is of the whole, so a small excess costs a few rows, not a batch.
    const share = Math.ceil(((rowCount.get() as number) * (used - limits.maxDatabaseBytes)) / used);
    const deleted = dropOldest.run(Math.max(1, Math.min(batchRows, share))).changes;
    cappedRows += deleted;
    if (deleted === 0) break; // only rollups left: nothing raw remains to give up
  }
  if (expiredRows + cappedRows > 0) {
    db.pragma('incremental_vacuum');
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
  return { expiredRows, cappedRows, usedBytes: usedBytes(db) };
}
