// The export: one line per request in [from, to), as JSON Lines or CSV, streamed into a Writable. Rows come from
// an iterating statement on a read-only connection of their own (WAL: the recorder keeps writing meanwhile), in
// batches that wait for the Writable's 'drain', so a year of rows never sits in memory.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { requestView, requestViewColumns, UsageQueryError } from './usage-queries.ts';
import type { UsageRequestView } from '../../../shared/usage-views.ts';

/** The exported fields, in this order; a promise to users' scripts (docs/usage.md "Export"). */
export const exportFields = [
  'time', 'durationMs', 'ttfbMs', 'clientFormat', 'requestedModel', 'route', 'provider', 'model', 'key', 'attempts', 'outcome',
  'status', 'stream', 'inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens', 'estimated', 'costUsd',
] as const;

export const exportFormats = ['jsonl', 'csv'] as const;
export type ExportFormat = (typeof exportFormats)[number];

type ExportLine = Record<(typeof exportFields)[number], string | number | boolean | null>;

function exportLine(row: UsageRequestView): ExportLine {
  return {
    time: new Date(row.startedAt).toISOString(),
    durationMs: row.durationMs,
    ttfbMs: row.ttfbMs,
    clientFormat: row.clientFormat,
    requestedModel: row.requestedModel,
    route: row.route === null ? null : `${row.routeKind}:${row.route}`,
    provider: row.provider,
    model: row.model,
    key: row.keyId ?? (row.accountId === null ? null : `account:${row.accountId}`),
    attempts: row.attempts,
    outcome: row.errorCode && row.outcome !== 'ok' ? `${row.outcome}:${row.errorCode}` : row.outcome,
    status: row.status,
    stream: row.stream,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheReadTokens: row.cacheReadTokens,
    cacheWriteTokens: row.cacheWriteTokens,
    reasoningTokens: row.reasoningTokens,
    estimated: row.estimated,
    costUsd: row.costBasis === 'included' ? 'included' : row.costUsd,
  };
}

/**
 * A CSV cell (RFC 4180 quoting). Text a spreadsheet would run as a formula (a client can name its model
 * "=HYPERLINK(...)") gets a leading apostrophe, the usual guard against CSV injection.
 */
function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const encoders: Record<ExportFormat, { header: string; line(line: ExportLine): string }> = {
  jsonl: { header: '', line: (line) => `${JSON.stringify(line)}\n` },
  csv: { header: `${exportFields.join(',')}\r\n`, line: (line) => `${exportFields.map((field) => csvCell(line[field])).join(',')}\r\n` },
};

const linesPerWrite = 500;

export interface ExportRange {
  from: number;
  to: number;
  format: ExportFormat;
}

/** Streams the range into `out` (which it does not end) and resolves with the number of rows written. */
export async function exportUsage(databasePath: string, range: ExportRange, out: Writable): Promise<number> {
  if (!Number.isFinite(range.from) || !Number.isFinite(range.to) || range.to <= range.from) throw new UsageQueryError('expected a range with from before to');
  if (!exportFormats.includes(range.format)) throw new UsageQueryError(`expected format jsonl or csv, got ${String(range.format)}`);
  const db = new Database(databasePath, { readonly: true, fileMustExist: true, timeout: 0 });
  try {
    const encoder = encoders[range.format];
    const rows = db
      .prepare(`SELECT ${requestViewColumns} FROM requests WHERE started_at >= ? AND started_at < ? ORDER BY started_at, id`)
      .iterate(range.from, range.to) as IterableIterator<Record<string, unknown>>;
    let count = 0;
    let pending = encoder.header;
    let lines = 0;
    const write = async (text: string) => {
      if (out.destroyed) throw new Error('the export was cancelled: its destination closed');
      if (!out.write(text)) await Promise.race([once(out, 'drain'), once(out, 'close')]);
    };
    for (const row of rows) {
      pending += encoder.line(exportLine(requestView(row)));
      count++;
      if (++lines >= linesPerWrite) {
        await write(pending);
        pending = '';
        lines = 0;
      }
    }
    if (pending !== '') await write(pending);
    return count;
  } finally {
    db.close();
  }
}
