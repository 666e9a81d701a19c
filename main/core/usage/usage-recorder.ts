// Records usage off the request's critical path. `record()` only appends to an in-memory queue and never throws.
// Completed records go first to the write-ahead journal (usage-journal.ts: one append per turn of the event loop,
// which is what a held answer waits for), then into SQLite in one transaction per batch: on a timer, when the batch
// grows, before any query, and on close. A process killed at any moment keeps every journaled record: the next open
// replays what SQLite does not hold yet. When the database cannot be written, records wait (bounded, and in the
// journal), the health says why, and requests carry on.
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
import { createRowWriter, forgetJournal, journalMark, markedJournals } from './usage-row-writer.ts';
import type { JournalEntry, UsageJournal } from './usage-journal.ts';
import { journalFiles, newJournalId, openUsageJournal, ownerIsAlive, readJournal } from './usage-journal.ts';
import type { UsageRecord } from './usage-record.ts';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

export interface UsageRecorderOptions extends MaintenanceLimits {
  path: string;
  prices: PriceTable;
  logger?: Logger;
  now?: () => number;
  /** Longest time a record waits before it is written to SQLite (it is in the journal sooner). Default 500 ms. */
  flushIntervalMs?: number;
  /** A batch this long is written to SQLite at once. Default 512. */
  flushAtQueued?: number;
  /** Where the journals are (usage-journal.ts); default the database's folder. */
  journalDir?: string;
  /** Beyond this many journal bytes not yet in SQLite (the database failing for long), records wait in memory only. */
  maxJournalBytes?: number;
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
   * Calls `callback` once everything recorded so far is durable (in the journal or in SQLite), or could not be made
   * so (the answer is never held hostage). Several callers in one turn of the event loop share one journal append,
   * made on the next turn.
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
  const flushIntervalMs = options.flushIntervalMs ?? 500;
  const flushAtQueued = options.flushAtQueued ?? 512;
  const journalDir = options.journalDir ?? dirname(options.path);
  const journalId = newJournalId();
  const maxJournalBytes = options.maxJournalBytes ?? 64 * 1024 * 1024;
  const maxQueued = options.maxQueued ?? 50_000;
  let db: Database.Database | undefined;
  let writeRows: RowWriter | undefined;
  let health: LedgerHealth = 'ok';
  let message: string | null = null;
  let quarantinedFile: string | null = null;
  let queue: UsageEvent[] = [];
  /** Built records not yet in SQLite, with their journal line (seq 0: not journaled). */
  let unwritten: JournalEntry[] = [];
  let journal: UsageJournal | undefined;
  let journalFailed = false;
  /** Highest journal line known to be in SQLite or numbered so far. */
  let journalSeq = 0;
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
      openJournal(db);
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
    const waitingCount = queue.length + unwritten.length;
    if (waitingCount <= maxQueued) return;
    let excess = waitingCount - maxQueued;
    const fromUnwritten = Math.min(excess, unwritten.length);
    unwritten = unwritten.slice(fromUnwritten);
    excess -= fromUnwritten;
    if (excess > 0) queue = queue.slice(excess);
    dropped += fromUnwritten + excess;
  }

  /**
   * Once SQLite is open: the journals of processes that are gone are written into it (their lines after the mark
   * SQLite keeps for them, in one transaction with the new mark) and deleted; then this recorder's own journal opens.
   * A journal that cannot be written in now (the database is locked) stays for the next open.
   */
  function openJournal(database: Database.Database): void {
    if (journal || journalFailed) return;
    const files = journalFiles(journalDir);
    for (const file of files) {
      if (ownerIsAlive(file, journalId)) continue;
      try {
        const { entries, skipped } = readJournal(file.path);
        if (skipped > 0) logger.warn('usage ledger: unreadable lines in a journal were skipped', { lines: skipped, path: file.path });
        const held = journalMark(database, file.id);
        const replay = entries.filter((entry) => entry.seq > held);
        if (replay.length > 0) {
          const mark = { journal: file.id, seq: replay[replay.length - 1]!.seq };
          try {
            writeRows!(
              replay.map((entry) => entry.record),
              mark,
            );
            recorded += replay.length;
          } catch (error) {
            if (isLocked(error)) throw error;
            // A line the database refuses (written by another version, say) is dropped alone, never the journal.
            for (const entry of replay) {
              try {
                writeRows!([entry.record], { journal: file.id, seq: entry.seq });
                recorded += 1;
              } catch {
                dropped += 1;
              }
            }
          }
          logger.info('usage ledger: records left in the journal of a stopped process were written to the database', { records: replay.length, path: file.path });
        }
        rmSync(file.path, { force: true });
        forgetJournal(database, file.id);
      } catch (error) {
        logger.warn('usage ledger: could not write a stopped process journal into the database; it is kept for the next start', { path: file.path, error: error instanceof Error ? error.message : String(error) });
      }
    }
    // Marks of journals that no longer exist (deleted after their replay, before the mark was forgotten).
    try {
      const present = new Set(files.map((file) => file.id));
      for (const id of markedJournals(database)) if (id !== journalId && !present.has(id)) forgetJournal(database, id);
    } catch {
      // only tidiness
    }
    try {
      journal = openUsageJournal(journalDir, journalId);
    } catch (error) {
      journalFailed = true;
      logger.warn('usage ledger: the journal cannot be used; records go straight to the database', { dir: journalDir, error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Builds the queued records and appends them to the journal (one write); they then wait for SQLite. */
  function journalQueued(): void {
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    const records: UsageRecord[] = [];
    for (const event of batch) {
      try {
        records.push(buildUsageRecord(event, options.prices));
      } catch (error) {
        dropped++; // a malformed event is lost alone, never the batch
        logger.warn('usage ledger: could not build a record', { error: error instanceof Error ? error.message : String(error) });
      }
    }
    if (journal && journal.size < maxJournalBytes) {
      try {
        const entries = journal.append(records);
        journalSeq = entries.length > 0 ? entries[entries.length - 1]!.seq : journalSeq;
        for (const entry of entries) unwritten.push(entry);
        return;
      } catch (error) {
        logger.warn('usage ledger: could not append to the journal', { path: journal.path, error: error instanceof Error ? error.message : String(error) });
      }
    }
    for (const record of records) unwritten.push({ seq: 0, record });
  }

  /** Journal what is queued and let the held answers go (next turn of the event loop after afterWrite). */
  function journalAndRelease(): void {
    immediate = undefined;
    try {
      journalQueued();
      trimQueue();
    } finally {
      releaseWaiting();
    }
    if (unwritten.length >= flushAtQueued) flush();
    else schedule();
  }

  function flush(): void {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    timer = undefined;
    immediate = undefined;
    try {
      journalQueued();
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
    if (!open()) return schedule();
    if (unwritten.length === 0) {
      if (journal && journal.size > 0) resetJournal();
      return schedule();
    }
    const batch = unwritten;
    unwritten = [];
    try {
      const rows = batch.map((entry) => entry.record);
      writeRows!(rows, journal && journalSeq > 0 ? { journal: journal.id, seq: journalSeq } : undefined);
      recorded += rows.length;
      sinceSizeCheck += rows.length;
      if (health !== 'recovered') setHealth('ok', null);
      resetJournal();
    } catch (error) {
      unwritten = batch.concat(unwritten);
      trimQueue();
      const detail = error instanceof Error ? error.message : String(error);
      if (isLocked(error)) setHealth('locked', `the usage database is locked by another process (${detail}); ${unwritten.length} records waiting`);
      else if (isCorruption(error)) {
        dropConnection();
        quarantinedFile = quarantine(options.path, now());
        setHealth('recovered', `the usage database was damaged (${detail}); it was moved to ${quarantinedFile} and a new one started`);
      } else setHealth('failing', `cannot write the usage database (${detail}); ${unwritten.length} records waiting`);
    }
    // The size cap between the hourly passes: a cheap page count every thousand rows, a pass when it is exceeded.
    if (sinceSizeCheck >= sizeCheckRows && db) {
      sinceSizeCheck = 0;
      if (usedBytes(db) > options.maxDatabaseBytes) maintain();
    }
    schedule();
  }

  /** Everything journaled is in SQLite now (journal_state says through which line): the journal starts empty. */
  function resetJournal(): void {
    try {
      journal?.reset();
    } catch (error) {
      logger.warn('usage ledger: could not empty the journal', { path: journal?.path, error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** On close: an empty journal (everything is in SQLite) is deleted with its mark; one still holding lines stays. */
  function closeJournal(): void {
    if (!journal) return;
    const empty = journal.size === 0 && unwritten.length === 0;
    journal.close();
    if (empty) {
      try {
        rmSync(journal.path, { force: true });
        if (db) forgetJournal(db, journal.id);
      } catch {
        // left for the next open to tidy
      }
    }
    journal = undefined;
  }

  function schedule(): void {
    if (closed || (queue.length === 0 && unwritten.length === 0) || timer) return;
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
      immediate ??= setImmediate(journalAndRelease);
    },
    maintain,
    status() {
      let bytes: number | null = null;
      try {
        bytes = db ? usedBytes(db) : null;
      } catch {
        bytes = null;
      }
      return { health, message, path: options.path, queued: queue.length + unwritten.length, recorded, dropped, quarantinedFile, usedBytes: bytes };
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
      closeJournal();
      dropConnection();
    },
  };
}
