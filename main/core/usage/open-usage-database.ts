// Opens (or creates) the ledger's SQLite file: WAL, so readers (queries, exports) never block the writer and a
// commit survives the process being killed; no busy wait, because better-sqlite3 is synchronous and a wait would
// stall the engine's event loop (a locked file is retried on the next flush instead); incremental auto-vacuum, so
// the size cap can give space back. A file that is not a database or fails its quick check is moved aside, kept for
// the user, and a fresh one takes its place: the engine keeps recording, and the status says what happened.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './usage-migrations.ts';

export interface OpenedUsageDatabase {
  db: Database.Database;
  /** Where a damaged file was moved, when one was. */
  quarantinedTo?: string;
  quarantineReason?: string;
}

const corruptionCodes = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

export function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && [...corruptionCodes].some((prefix) => code.startsWith(prefix));
}

export function isLocked(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

function connect(path: string): Database.Database {
  const db = new Database(path, { timeout: 0 });
  try {
    db.pragma('auto_vacuum = INCREMENTAL'); // takes effect only on a new, empty file
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL'); // in WAL mode: durable against a crash of the process, not of the OS
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw Object.assign(new Error(`quick_check: ${String(check)}`), { code: 'SQLITE_CORRUPT' });
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Moves the file and its WAL and shared-memory companions aside; returns the new name of the main file. */
export function quarantine(path: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const target = `${path}.corrupt-${stamp}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  }
  return target;
}

export function openUsageDatabase(path: string, now: () => number = Date.now): OpenedUsageDatabase {
  mkdirSync(dirname(path), { recursive: true });
  try {
    return { db: connect(path) };
  } catch (error) {
    if (!isCorruption(error)) throw error;
    const quarantinedTo = quarantine(path, now());
    return { db: connect(path), quarantinedTo, quarantineReason: error instanceof Error ? error.message : String(error) };
  }
}
