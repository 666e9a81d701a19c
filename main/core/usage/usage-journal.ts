// The ledger's write-ahead journal: records that completed are appended here first, one write per turn of the event
// loop, and moved into SQLite in larger batches. An answer's last byte waits only for its journal line (one append to
// a file in the page cache, which a killed process cannot take back), not for a SQLite commit, so recording stays
// off the request's cost. At open, lines not yet in SQLite are replayed; each line carries a sequence number and
// SQLite keeps the last one it holds (journal_state), so a line is never written twice, even when the process died
// between the SQLite commit and the journal reset. A torn last line (killed mid-append) is skipped.
import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { UsageRecord } from './usage-record.ts';

export const usageJournalFile = 'usage-pending.jsonl';

export interface JournalEntry {
  seq: number;
  record: UsageRecord;
}

export interface UsageJournal {
  /** Appends the records (one write), numbering them; returns their entries. Throws when the file cannot be written. */
  append(records: readonly UsageRecord[]): JournalEntry[];
  /** Empties the file: everything in it is in SQLite. */
  reset(): void;
  /** Bytes in the file (appended since the last reset, or left by an earlier process). */
  readonly size: number;
  close(): void;
}

/** Reads what a journal holds (entries in order; a torn or unreadable line is skipped and counted). */
export function readJournal(path: string): { entries: JournalEntry[]; skipped: number } {
  if (!existsSync(path)) return { entries: [], skipped: 0 };
  const entries: JournalEntry[] = [];
  let skipped = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    try {
      const parsed = JSON.parse(line) as { s?: unknown; r?: unknown };
      if (typeof parsed.s === 'number' && typeof parsed.r === 'object' && parsed.r !== null) entries.push({ seq: parsed.s, record: parsed.r as UsageRecord });
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { entries, skipped };
}

/** Opens (creating if needed) the journal for appending; numbering continues after `lastSeq`. */
export function openUsageJournal(path: string, lastSeq: number): UsageJournal {
  const fd = openSync(path, 'a', 0o600);
  let seq = lastSeq;
  let size = fstatSync(fd).size; // lines left by an earlier process count until the next reset
  let closed = false;
  return {
    append(records) {
      const entries: JournalEntry[] = [];
      let text = '';
      for (const record of records) {
        seq += 1;
        entries.push({ seq, record });
        text += `{"s":${seq},"r":${JSON.stringify(record)}}\n`;
      }
      if (text !== '') {
        writeSync(fd, text);
        size += Buffer.byteLength(text);
      }
      return entries;
    },
    reset() {
      if (size === 0 || closed) return;
      ftruncateSync(fd, 0);
      size = 0;
    },
    get size() {
      return size;
    },
    close() {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}
