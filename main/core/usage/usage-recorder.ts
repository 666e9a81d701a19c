// Records usage off the request's critical path. `record()` only appends to an in-memory queue and never throws;
// the queue is written in small transactions on a short timer, at once (on the next turn of the event loop) when it
// grows, and on close. A written row is committed in WAL mode, so a process killed a moment later keeps it.
// When the database cannot be written the queue waits (bounded), the health says why, and requests carry on.
import type Database from 'better-sqlite3';
import type { LedgerHealth, LedgerStatusView } from '../../../shared/usage-views.ts';
import type { Logger } from '../logging/logger.ts';
import { silentLogger } from '../logging/logger.ts';
import type { UsageEvent } from './build-usage-record.ts';
import { buildUsageRecord } from './build-usage-record.ts';
import { isCorruption, isLocked, openUsageDatabase, quarantine } from './open-usage-database.ts';
import type { PriceTable } from './price-table.ts';
import type { MaintenanceLimits } from './usage-maintenance.ts';
import { maintainUsageDatabase, usedBytes } from './usage-maintenance.ts';
import type { RowWriter } from './usage-row-writer.ts';
import { createRowWriter } from './usage-row-writer.ts';

export interface UsageRecorderOptions extends MaintenanceLimits {
  path: string;
  prices: PriceTable;
  logger?: Logger;
  now?: () => number;
  /** Longest time a record waits in memory before it is written. Default 100 ms. */
  flushIntervalMs?: number;
  /** A queue this long is written at once. Default 256. */
  flushAtQueued?: number;
  /** Records kept waiting while the database cannot be written; older ones are dropped (and counted) beyond. */
  maxQueued?: number;
  /** How often retention and the size cap run. Default hourly (and once at open). */
  maintenanceIntervalMs?: number;
}

export interface UsageRecorder {
  /** Queue one request's usage. Never throws and never blocks on the database. */
  record(event: UsageEvent): void;
  /** Write the queue now (used by close and tests). */
  flush(): void;
  /**
   * Calls `callback` once everything recorded so far is committed, or could not be (the database is locked or
   * unavailable: the answer is never held hostage). Several callers in one turn of the event loop share one
   * transaction (group commit), written on the next turn.
   */
  afterWrite(callback: () => void): void;
  /** Apply retention and the size cap now. */
  maintain(): void;
  status(): LedgerStatusView;
  /** The open connection, for queries; undefined while the database is unavailable. */
  database(): Database.Database | undefined;
  /** Write what is queued and close the file. */
  close(): void;
}

export function createUsageRecorder(options: UsageRecorderOptions): UsageRecorder {
  const logger = options.logger ?? silentLogger();
  const now = options.now ?? Date.now;
  const flushIntervalMs = options.flushIntervalMs ?? 100;
  const flushAtQueued = options.flushAtQueued ?? 256;
  const maxQueued = options.maxQueued ?? 50_000;
  let db: Database.Database | undefined;
  let writeRows: RowWriter | undefined;
  let health: LedgerHealth = 'ok';
  let message: string | null = null;
  let quarantinedFile: string | null = null;
  let queue: UsageEvent[] = [];
  let recorded = 0;
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  let waiting: (() => void)[] = [];
  let closed = false;
  let sinceSizeCheck = 0;
  const sizeCheckRows = 1000;

  function setHealth(next: LedgerHealth, why: string | null): void {
    if (next !== health || why !== message) {
      if (next !== 'ok') logger.warn('usage ledger: ' + (why ?? next), { path: options.path });
      else if (health !== 'ok' && health !== 'recovered') logger.info('usage ledger: writing again', { path: options.path });
    }
    health = next;
    message = why;
  }

  function open(): boolean {
    if (db) return true;
    try {
      const opened = openUsageDatabase(options.path, now);
      db = opened.db;
      writeRows = createRowWriter(db);
      if (opened.quarantinedTo) {
        quarantinedFile = opened.quarantinedTo;
        setHealth('recovered', `the usage database was damaged (${opened.quarantineReason}); it was moved to ${opened.quarantinedTo} and a new one started`);
      } else if (health !== 'recovered') setHealth('ok', null);
      return true;
    } catch (error) {
      setHealth(isLocked(error) ? 'locked' : 'unavailable', `cannot open ${options.path}: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  function dropConnection(): void {
    try {
      db?.close();
    } catch {
      // already unusable
    }
    db = undefined;
    writeRows = undefined;
  }

  function trimQueue(): void {
    if (queue.length <= maxQueued) return;
    const excess = queue.length - maxQueued;
    queue = queue.slice(excess);
    dropped += excess;
  }

  function flush(): void {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    timer = undefined;
    immediate = undefined;
    try {
      write();
    } finally {
      releaseWaiting();
    }
  }

  function releaseWaiting(): void {
    if (waiting.length === 0) return;
    const callbacks = waiting;
    waiting = [];
    for (const callback of callbacks) {
      try {
        callback();
      } catch (error) {
        logger.warn('usage ledger: a caller waiting for a write failed', { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  function write(): void {
    if (queue.length === 0 || !open()) return schedule();
    const batch = queue;
    queue = [];
    try {
      const rows = [];
      for (const event of batch) {
        try {
          rows.push(buildUsageRecord(event, options.prices));
        } catch (error) {
          dropped++; // a malformed event is lost alone, never the batch
          logger.warn('usage ledger: could not build a record', { error: error instanceof Error ? error.message : String(error) });
        }
      }
      writeRows!(rows);
      recorded += rows.length;
      sinceSizeCheck += rows.length;
      if (health !== 'recovered') setHealth('ok', null);
    } catch (error) {
      queue = batch.concat(queue);
      trimQueue();
      const detail = error instanceof Error ? error.message : String(error);
      if (isLocked(error)) setHealth('locked', `the usage database is locked by another process (${detail}); ${queue.length} records waiting`);
      else if (isCorruption(error)) {
        dropConnection();
        quarantinedFile = quarantine(options.path, now());
        setHealth('recovered', `the usage database was damaged (${detail}); it was moved to ${quarantinedFile} and a new one started`);
      } else setHealth('failing', `cannot write the usage database (${detail}); ${queue.length} records waiting`);
    }
    // The size cap between the hourly passes: a cheap page count every thousand rows, a pass when it is exceeded.
    if (sinceSizeCheck >= sizeCheckRows && db) {
      sinceSizeCheck = 0;
      if (usedBytes(db) > options.maxDatabaseBytes) maintain();
    }
    schedule();
  }

  function schedule(): void {
    if (closed || queue.length === 0 || timer) return;
    // Waiting on a locked or failing database: retry less eagerly.
    const delay = health === 'ok' || health === 'recovered' ? flushIntervalMs : Math.max(flushIntervalMs, 1000);
    timer = setTimeout(flush, delay);
    timer.unref();
  }

  function maintain(): void {
    flush(); // what is queued is judged by the same limits
    if (!open()) return;
    try {
      const result = maintainUsageDatabase(db!, options, now());
      if (result.cappedRows > 0) logger.info('usage ledger: size cap reached, oldest raw rows deleted', { rows: result.cappedRows });
    } catch (error) {
      logger.warn('usage ledger: maintenance failed', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  open();
  maintain();
  const maintenanceTimer = setInterval(maintain, options.maintenanceIntervalMs ?? 3_600_000);
  maintenanceTimer.unref();

  return {
    record(event) {
      if (closed) return;
      try {
        queue.push(event);
        trimQueue();
        if (queue.length >= flushAtQueued) immediate ??= setImmediate(flush);
        else schedule();
      } catch {
        dropped++;
      }
    },
    flush,
    afterWrite(callback) {
      if (closed) return callback();
      waiting.push(callback);
      immediate ??= setImmediate(flush);
    },
    maintain,
    status() {
      let bytes: number | null = null;
      try {
        bytes = db ? usedBytes(db) : null;
      } catch {
        bytes = null;
      }
      return { health, message, path: options.path, queued: queue.length, recorded, dropped, quarantinedFile, usedBytes: bytes };
    },
    database: () => (open() ? db : undefined),
    close() {
      if (closed) return;
      flush();
      closed = true;
      clearInterval(maintenanceTimer);
      if (timer) clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
      releaseWaiting();
      dropConnection();
    },
  };
}
