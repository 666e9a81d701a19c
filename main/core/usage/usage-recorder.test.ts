import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryDataDir, usageEvent } from '../../../test/helpers/usage-events.ts';
import { createPriceTable } from './price-table.ts';
import type { UsageRecorder } from './usage-recorder.ts';
import { createUsageRecorder } from './usage-recorder.ts';
import { journalFiles, readJournal } from './usage-journal.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function recorderIn(dir: string, overrides: Partial<Parameters<typeof createUsageRecorder>[0]> = {}): UsageRecorder {
  const recorder = createUsageRecorder({
    path: join(dir, 'usage.db'),
    prices: createPriceTable(),
    retentionDays: 90,
    maxDatabaseBytes: 512 * 1024 * 1024,
    now: () => Date.UTC(2026, 11, 2),
    flushIntervalMs: 60_000, // tests flush by hand
    ...overrides,
  });
  cleanups.push(() => recorder.close());
  return recorder;
}

function tempDir(): string {
  const temporary = temporaryDataDir();
  cleanups.unshift(temporary.remove);
  return temporary.dir;
}

/** Every journal line in the folder, whichever recorder wrote it. */
const journalLines = (dir: string) => journalFiles(dir).flatMap((file) => readJournal(file.path).entries);

const rows = (dir: string) => {
  const db = new Database(join(dir, 'usage.db'), { readonly: true });
  try {
    return db.prepare('SELECT * FROM requests ORDER BY id').all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
};

describe('usage recorder', () => {
  it('queues without writing, then writes one row per request with normalised tokens and its cost', () => {
    const dir = tempDir();
    const recorder = recorderIn(dir);
    recorder.record(usageEvent());
    expect(recorder.status()).toMatchObject({ health: 'ok', queued: 1, recorded: 0 });
    expect(rows(dir)).toHaveLength(0);
    recorder.flush();
    const [row] = rows(dir);
    expect(row).toMatchObject({ input_tokens: 300, cache_read_tokens: 600, cache_write_tokens: 100, output_tokens: 80, estimated: 0, cost_basis: 'priced', key_id: 'fake-key-1' });
    expect(row!.cost_usd).toBeCloseTo((300 * 3 + 600 * 0.3 + 100 * 3.75 + 80 * 15) / 1e6, 12);
    expect(recorder.status()).toMatchObject({ queued: 0, recorded: 1 });
  });

  it('a queue that reaches the batch size is written on the next turn of the event loop, not inside record()', async () => {
    const dir = tempDir();
    const recorder = recorderIn(dir, { flushAtQueued: 3 });
    for (let index = 0; index < 3; index++) recorder.record(usageEvent());
    expect(rows(dir)).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(rows(dir)).toHaveLength(3);
  });

  it('estimates only where the upstream reported nothing, and marks the row estimated', () => {
    const dir = tempDir();
    const recorder = recorderIn(dir);
    const body = { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'x'.repeat(400) }] };
    recorder.record(usageEvent({ usage: undefined, estimate: { clientFormat: 'anthropic', requestBody: body, outputCharacters: 40 } }));
    recorder.record(usageEvent({ usage: { inputTokens: 5, outputTokens: 1 }, estimate: { clientFormat: 'anthropic', requestBody: body } }));
    recorder.record(usageEvent({ usage: undefined, outcome: 'refused', errorCode: 'no_route', status: 404, provider: null, model: null, keyId: null, attempts: 0, estimate: { clientFormat: 'anthropic', requestBody: body } }));
    recorder.flush();
    const [estimated, reported, refused] = rows(dir);
    expect(estimated).toMatchObject({ estimated: 1, output_tokens: 10 });
    expect(estimated!.input_tokens as number).toBeGreaterThanOrEqual(100);
    expect(reported).toMatchObject({ estimated: 0, input_tokens: 5, output_tokens: 1 });
    // No token used: it costs nothing at any price, so it does not count as an unpriced request either.
    expect(refused).toMatchObject({ estimated: 0, input_tokens: 0, outcome: 'refused', cost_basis: 'priced', cost_usd: 0, price_version: null, attempts: 0 });
  });

  it('subscription accounts count tokens with cost "included"', () => {
    const dir = tempDir();
    const recorder = recorderIn(dir);
    recorder.record(usageEvent({ keyId: null, accountId: 'fake-account', billing: 'subscription' }));
    recorder.flush();
    expect(rows(dir)[0]).toMatchObject({ account_id: 'fake-account', cost_basis: 'included', cost_usd: null, input_tokens: 300 });
  });

  it('a locked database: records wait, the status says so, and they are written once the lock is gone', () => {
    const dir = tempDir();
    const recorder = recorderIn(dir);
    const other = new Database(join(dir, 'usage.db'));
    other.exec('BEGIN EXCLUSIVE');
    recorder.record(usageEvent());
    recorder.flush();
    expect(recorder.status()).toMatchObject({ health: 'locked', queued: 1, recorded: 0 });
    expect(recorder.status().message).toContain('locked');
    other.exec('COMMIT');
    other.close();
    recorder.flush();
    expect(recorder.status()).toMatchObject({ health: 'ok', queued: 0, recorded: 1 });
    expect(rows(dir)).toHaveLength(1);
  });

  it('bounds the waiting queue and counts what it drops', () => {
    const dir = tempDir();
    const recorder = recorderIn(dir, { maxQueued: 3, flushAtQueued: 1000 });
    for (let index = 0; index < 5; index++) recorder.record(usageEvent({ durationMs: index }));
    expect(recorder.status()).toMatchObject({ queued: 3, dropped: 2 });
    recorder.flush();
    expect(rows(dir).map((row) => row.duration_ms)).toEqual([2, 3, 4]);
  });

  it('a file that is not a database is moved aside, kept, and a fresh ledger records', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'usage.db'), 'this is not an SQLite database, it is damaged '.repeat(200));
    const recorder = recorderIn(dir);
    expect(recorder.status().health).toBe('recovered');
    const kept = recorder.status().quarantinedFile!;
    expect(existsSync(kept)).toBe(true);
    expect(readdirSync(dir).some((name) => name.startsWith('usage.db.corrupt-'))).toBe(true);
    recorder.record(usageEvent());
    recorder.flush();
    expect(rows(dir)).toHaveLength(1);
  });

  it('an unwritable location makes the ledger unavailable, and record() still never throws', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'blocker'), '');
    const recorder = recorderIn(dir, { path: join(dir, 'blocker', 'usage.db') });
    expect(recorder.status().health).toBe('unavailable');
    expect(() => recorder.record(usageEvent())).not.toThrow();
    expect(() => recorder.flush()).not.toThrow();
    expect(recorder.status()).toMatchObject({ health: 'unavailable', queued: 1 });
  });

  it('an event that cannot be built is dropped alone, never with its batch', () => {
    const dir = tempDir();
    const recorder = recorderIn(dir);
    recorder.record(usageEvent({ usage: { get inputTokens(): number { throw new Error('broken'); } } }));
    recorder.record(usageEvent());
    recorder.flush();
    expect(rows(dir)).toHaveLength(1);
    expect(recorder.status()).toMatchObject({ dropped: 1, recorded: 1 });
  });

  it('the size cap is also applied between the hourly passes, as rows are written', () => {
    const dir = tempDir();
    const recorder = recorderIn(dir, { maxDatabaseBytes: 256 * 1024, flushAtQueued: 100_000, maintenanceIntervalMs: 3_600_000 });
    for (let round = 0; round < 5; round++) {
      for (let index = 0; index < 1000; index++) recorder.record(usageEvent({ startedAt: Date.UTC(2026, 11, 1) + round * 1000 + index, requestedModel: 'm'.repeat(200) }));
      recorder.flush();
    }
    expect(recorder.status().usedBytes!).toBeLessThanOrEqual(256 * 1024);
    const kept = rows(dir);
    expect(kept.length).toBeLessThan(5000);
    expect(kept.at(-1)!.started_at).toBe(Date.UTC(2026, 11, 1) + 4 * 1000 + 999);
  });

  it('afterWrite: callers of one turn share one journal append and are called back once their records are in it', async () => {
    const dir = tempDir();
    const recorder = recorderIn(dir);
    const seenByCallbacks: number[] = [];
    const written = Promise.all(
      [1, 2, 3].map(
        (durationMs) =>
          new Promise<void>((resolve) => {
            recorder.record(usageEvent({ durationMs }));
            recorder.afterWrite(() => {
              seenByCallbacks.push(journalLines(dir).length);
              resolve();
            });
          }),
      ),
    );
    expect(journalLines(dir)).toHaveLength(0); // nothing inside record() or afterWrite()
    await written;
    // Each callback saw every record of its turn already in the journal file (what a killed process leaves behind).
    expect(seenByCallbacks).toEqual([3, 3, 3]);
    expect(rows(dir)).toHaveLength(0); // SQLite gets them in a later, larger batch
    recorder.flush();
    expect(rows(dir).map((row) => row.duration_ms)).toEqual([1, 2, 3]);
    expect(journalFiles(dir).map((file) => readFileSync(file.path, 'utf8'))).toEqual(['']); // emptied once SQLite holds them
    expect(recorder.status()).toMatchObject({ queued: 0, recorded: 3 });
  });

  it('a process killed after the journal append loses nothing: the next open writes the journal into SQLite, once', async () => {
    const dir = tempDir();
    const first = recorderIn(dir);
    for (const durationMs of [10, 20]) {
      first.record(usageEvent({ durationMs }));
      await new Promise<void>((resolve) => first.afterWrite(resolve));
    }
    // "Killed": first is never flushed or closed. A new recorder on the same folder replays the journal.
    const second = recorderIn(dir);
    second.flush();
    expect(rows(dir).map((row) => row.duration_ms)).toEqual([10, 20]);
    expect(second.status().recorded).toBe(2);
    // A third open finds the journal empty and SQLite already holding the lines: nothing is written twice.
    const third = recorderIn(dir);
    third.flush();
    expect(rows(dir)).toHaveLength(2);
    // The stopped recorders' journals are gone; the live one writes its own.
    third.record(usageEvent({ durationMs: 30 }));
    await new Promise<void>((resolve) => third.afterWrite(resolve));
    expect(journalFiles(dir)).toHaveLength(1);
    expect(journalLines(dir).map((entry) => entry.record.durationMs)).toEqual([30]);
  });

  it('a journal whose lines SQLite already holds (killed between the commit and the reset) is not written again; a torn line is skipped', async () => {
    const dir = tempDir();
    const first = recorderIn(dir);
    first.record(usageEvent({ durationMs: 1 }));
    await new Promise<void>((resolve) => first.afterWrite(resolve));
    const [file] = journalFiles(dir);
    const journalText = readFileSync(file!.path, 'utf8');
    first.flush(); // in SQLite (journal_state marks line 1 of this journal) and the journal emptied ...
    writeFileSync(file!.path, journalText); // ... as if the process died before emptying it
    const line = JSON.parse(journalText.trim()) as { r: Record<string, unknown> };
    appendFileSync(file!.path, `${JSON.stringify({ s: 2, r: { ...line.r, durationMs: 2 } })}\n{"s":3,"r":{"startedAt`);
    const second = recorderIn(dir);
    second.flush();
    expect(rows(dir).map((row) => row.duration_ms)).toEqual([1, 2]);
    expect(journalFiles(dir).map((journal) => journal.id)).not.toContain(file!.id); // written in, then deleted
  });

  it('a stopped process journal line the database refuses is dropped alone; the others are written and the journal deleted', () => {
    const dir = tempDir();
    const seed = recorderIn(dir);
    seed.record(usageEvent({ durationMs: 7 }));
    seed.flush();
    const good = rows(dir)[0]!;
    seed.close();
    const stopped = join(dir, 'usage-pending-999999999-old.jsonl'); // no such pid
    const record = (durationMs: number) => ({ ...usageEvent({ durationMs }), tokens: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 }, estimated: false, costBasis: 'unknown', costUsd: null, priceVersion: null });
    writeFileSync(stopped, [{ s: 1, r: record(8) }, { s: 2, r: { durationMs: 9 } }, { s: 3, r: record(10) }].map((line) => JSON.stringify(line)).join('\n') + '\n');
    const recorder = recorderIn(dir);
    recorder.flush();
    expect(rows(dir).map((row) => row.duration_ms)).toEqual([good.duration_ms, 8, 10]);
    expect(recorder.status().dropped).toBe(1);
    expect(existsSync(stopped)).toBe(false);
  });

  it('a journal of a process that is still running is left to it; close deletes an empty journal', async () => {
    const dir = tempDir();
    const alive = join(dir, `usage-pending-1-abc.jsonl`); // pid 1 is always running (init)
    writeFileSync(alive, `${JSON.stringify({ s: 1, r: { durationMs: 5 } })}\n`);
    const recorder = recorderIn(dir);
    recorder.record(usageEvent());
    await new Promise<void>((resolve) => recorder.afterWrite(resolve));
    recorder.flush();
    expect(rows(dir)).toHaveLength(1); // only its own record
    expect(readFileSync(alive, 'utf8')).not.toBe('');
    recorder.close();
    expect(journalFiles(dir).map((journal) => journal.path)).toEqual([alive]);
  });

  it('afterWrite never holds a caller hostage: a locked or unavailable database, or a closed recorder, still calls back', async () => {
    const dir = tempDir();
    const recorder = recorderIn(dir);
    const other = new Database(join(dir, 'usage.db'));
    other.exec('BEGIN EXCLUSIVE');
    recorder.record(usageEvent());
    await new Promise<void>((resolve) => recorder.afterWrite(resolve));
    recorder.flush();
    expect(recorder.status()).toMatchObject({ health: 'locked', queued: 1 });
    expect(journalLines(dir)).toHaveLength(1); // kept in the journal while it waits
    other.exec('COMMIT');
    other.close();
    recorder.flush();
    expect(recorder.status()).toMatchObject({ health: 'ok', queued: 0, recorded: 1 });

    writeFileSync(join(dir, 'blocker'), '');
    const unavailable = recorderIn(dir, { path: join(dir, 'blocker', 'usage.db') });
    unavailable.record(usageEvent());
    await new Promise<void>((resolve) => unavailable.afterWrite(resolve));
    unavailable.flush();
    expect(unavailable.status().health).toBe('unavailable');

    recorder.close();
    let called = false;
    recorder.afterWrite(() => (called = true));
    expect(called).toBe(true);
  });

  it('close writes what is still queued', () => {
    const dir = tempDir();
    const recorder = recorderIn(dir);
    recorder.record(usageEvent());
    recorder.close();
    expect(rows(dir)).toHaveLength(1);
    expect(() => recorder.record(usageEvent())).not.toThrow();
  });
});
