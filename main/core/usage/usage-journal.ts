// The ledger's write-ahead journals: records that completed are appended to one first, one write per turn of the
// event loop, and moved into SQLite in larger batches. An answer's end waits only for its journal line (one append
// to a file in the page cache, which a killed process cannot take back), not for a SQLite commit, so recording stays
// off the request's cost.
//
// Each recorder (one per engine process) writes its own journal, `usage-pending-<pid>-<start>.jsonl`, so two
// processes on one data dir never truncate each other's lines. Each line carries a sequence number, and SQLite keeps,
// per journal, the last line it holds (table journal_state) in the same transaction as the rows. When a recorder
// opens, the journals of processes that are gone are written into SQLite (only their lines after that mark, so a
// process killed between its commit and emptying its journal writes nothing twice) and deleted. A torn last line
// (killed in the middle of an append) is skipped.
import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { UsageRecord } from './usage-record.ts';

const journalName = /^usage-pending-(\d+)-([0-9a-z]+)\.jsonl$/;

export interface JournalEntry {
  seq: number;
  record: UsageRecord;
}

export interface JournalFile {
  /** `<pid>-<start>`: the id journal_state knows it by. */
  id: string;
  pid: number;
  path: string;
}

export interface UsageJournal {
  readonly id: string;
  readonly path: string;
  /** Appends the records (one write), numbering them; returns their entries. Throws when the file cannot be written. */
  append(records: readonly UsageRecord[]): JournalEntry[];
  /** Empties the file: everything in it is in SQLite. */
  reset(): void;
  /** Bytes in the file since the last reset. */
  readonly size: number;
  close(): void;
}

let opened = 0;

/** A new journal id: this process's pid, the wall-clock start and a counter, so a recycled pid gets another file. */
export function newJournalId(): string {
  opened += 1;
  return `${process.pid}-${Date.now().toString(36)}${opened.toString(36)}`;
}

export const journalFileName = (id: string) => `usage-pending-${id}.jsonl`;

/** The journals in a folder (any process's). */
export function journalFiles(dir: string): JournalFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const match = journalName.exec(name);
    return match ? [{ id: `${match[1]}-${match[2]}`, pid: Number(match[1]), path: join(dir, name) }] : [];
  });
}

/** Whether a journal's process may still be writing it. This process's own older journals count as gone. */
export function ownerIsAlive(file: JournalFile, ownId: string): boolean {
  if (file.id === ownId) return true;
  if (file.pid === process.pid) return false; // an earlier recorder of this process, or a recycled pid
  try {
    process.kill(file.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
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

/** Opens (creating if needed) this recorder's journal for appending, numbering from 1. */
export function openUsageJournal(dir: string, id: string): UsageJournal {
  const path = join(dir, journalFileName(id));
  const fd = openSync(path, 'a', 0o600);
  let seq = 0;
  let size = fstatSync(fd).size;
  let closed = false;
  return {
    id,
    path,
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
