// Where request-log entries are kept: SQLite, in `<data dir>/request-log.db` (created mode 0600: entries hold
// prompts and answers) or in memory. A file of its own beside the ledger, so clearing it, its caps and its privacy
// never touch the usage rows. Caps are applied on every insert, oldest first: by count, then by bytes.
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { RequestLogEntrySummary, RequestLogEntryView } from '../../../../shared/request-log-views.ts';

export const requestLogFile = 'request-log.db';

export interface StoredEntry {
  summary: Omit<RequestLogEntrySummary, 'id' | 'bytes'>;
  parts: Pick<RequestLogEntryView, 'clientRequest' | 'upstreamRequest' | 'upstreamAnswer' | 'clientAnswer'>;
}

export interface RequestLogStore {
  readonly path: string | null;
  /** Inserts one entry and drops the oldest beyond the caps; returns its id. */
  insert(entry: StoredEntry, caps: { maxEntries: number; maxBytes: number }): number;
  list(before: number | undefined, limit: number): RequestLogEntrySummary[];
  read(id: number): RequestLogEntryView | undefined;
  totals(): { entries: number; bytes: number };
  clear(): void;
  close(): void;
}

const schema = `
  CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at INTEGER NOT NULL,
    summary TEXT NOT NULL,
    parts TEXT NOT NULL,
    bytes INTEGER NOT NULL
  );`;

/** Opens the store; `path` null keeps it in memory. Throws when the file cannot be opened (the caller reports it). */
export function openRequestLogStore(path: string | null): RequestLogStore {
  if (path !== null) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'a', 0o600)); // created private before SQLite writes a byte
    chmodSync(path, 0o600);
  }
  const db = new Database(path ?? ':memory:', { timeout: 0 });
  try {
    db.pragma('journal_mode = DELETE');
    db.pragma('synchronous = OFF'); // a debugging aid: an entry lost to a power cut is fine, an fsync per entry is not
    db.exec(schema);
  } catch (error) {
    db.close();
    throw error;
  }
  const insert = db.prepare('INSERT INTO entries (started_at, summary, parts, bytes) VALUES (?, ?, ?, ?)');
  const dropBeyondCount = db.prepare('DELETE FROM entries WHERE id <= (SELECT id FROM entries ORDER BY id DESC LIMIT 1 OFFSET ?)');
  // The newest entries whose running total (newest first) fits are kept; the first one that does not, and older, go.
  const dropBeyondBytes = db.prepare(
    'DELETE FROM entries WHERE id <= (SELECT id FROM (SELECT id, SUM(bytes) OVER (ORDER BY id DESC) AS total FROM entries) WHERE total > ? ORDER BY id DESC LIMIT 1)',
  );
  const list = db.prepare('SELECT id, summary, bytes FROM entries WHERE id < ? ORDER BY id DESC LIMIT ?');
  const read = db.prepare('SELECT id, summary, parts, bytes FROM entries WHERE id = ?');
  const totals = db.prepare('SELECT COUNT(*) AS entries, COALESCE(SUM(bytes), 0) AS bytes FROM entries');
  const insertCapped = db.transaction((entry: StoredEntry, caps: { maxEntries: number; maxBytes: number }) => {
    const summary = JSON.stringify(entry.summary);
    const parts = JSON.stringify(entry.parts);
    const bytes = Buffer.byteLength(summary) + Buffer.byteLength(parts);
    const id = Number(insert.run(entry.summary.startedAt, summary, parts, bytes).lastInsertRowid);
    dropBeyondCount.run(caps.maxEntries);
    dropBeyondBytes.run(caps.maxBytes);
    return id;
  });
  type Row = { id: number; summary: string; parts?: string; bytes: number };
  return {
    path,
    insert: (entry, caps) => insertCapped(entry, caps),
    list: (before, limit) => (list.all(before ?? Number.MAX_SAFE_INTEGER, limit) as Row[]).map((row) => ({ ...(JSON.parse(row.summary) as StoredEntry['summary']), id: row.id, bytes: row.bytes })),
    read(id) {
      const row = read.get(id) as Row | undefined;
      if (!row) return undefined;
      return { ...(JSON.parse(row.summary) as StoredEntry['summary']), ...(JSON.parse(row.parts!) as StoredEntry['parts']), id: row.id, bytes: row.bytes };
    },
    totals: () => totals.get() as { entries: number; bytes: number },
    clear() {
      db.exec('DELETE FROM entries');
      db.exec('VACUUM'); // the text is gone from the file too, not only unlinked
    },
    close: () => db.close(),
  };
}
