import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryDataDir } from '../../helpers/usage-events.ts';
import { openUsageDatabase } from '../../../main/core/usage/open-usage-database.ts';
import { exportUsage } from '../../../main/core/usage/usage-export.ts';

// A year of traffic (500,000 rows, about 230 MB of JSON Lines) exports through a slow destination while the heap
// stays small: rows are iterated from the statement and written as the destination drains, never collected.
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const rows = 500_000;
const from = Date.UTC(2025, 11, 1);
const spacing = Math.floor((365 * 86_400_000) / rows);

describe('usage export of a year', () => {
  it('streams every row with bounded memory', async () => {
    const temporary = temporaryDataDir();
    cleanups.push(temporary.remove);
    const path = join(temporary.dir, 'usage.db');
    const { db } = openUsageDatabase(path);
    db.prepare(`
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
      INSERT INTO requests (started_at, duration_ms, ttfb_ms, client_format, requested_model, route_kind, route, provider, model, key_id,
        account_id, attempts, outcome, error_code, status, stream, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
        reasoning_tokens, estimated, cost_basis, cost_usd, price_version)
      SELECT ? + i * ?, 900 + i % 300, 120, 'anthropic', 'claude-sonnet-4-5', 'combo', 'work', 'anthropic', 'claude-sonnet-4-5-20250929',
        'fake-key-' || (i % 3), NULL, 1 + i % 2, 'ok', NULL, 200, 1, 3000 + i % 1000, 400, 12000, 0, 0, 0, 'priced', 0.0123, 'builtin-2026-12-03'
      FROM n`).run(rows, from, spacing);
    db.close();

    global.gc?.();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    let lines = 0;
    let bytes = 0;
    let writes = 0;
    const slow = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _encoding, done) {
        for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) lines++;
        bytes += chunk.length;
        if (++writes % 50 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
        setImmediate(done); // a destination slower than the database: the export must wait for it
      },
    });
    const exported = await exportUsage(path, { from, to: from + 366 * 86_400_000, format: 'jsonl' }, slow);
    expect(exported).toBe(rows);
    expect(lines).toBe(rows);
    expect(bytes).toBeGreaterThan(150 * 1024 * 1024);
    // Holding the rows (or the text) would take hundreds of MB; streaming keeps the growth to a few batches.
    expect(peak - baseline).toBeLessThan(96 * 1024 * 1024);
  }, 120_000);
});
