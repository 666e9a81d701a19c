import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryDataDir } from '../../../test/helpers/usage-events.ts';
import { openUsageDatabase } from './open-usage-database.ts';
import { currentSchemaVersion, migrate, migrations } from './usage-migrations.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function versionOneFile(): string {
  const temporary = temporaryDataDir();
  cleanups.push(temporary.remove);
  const path = join(temporary.dir, 'usage.db');
  const db = new Database(path);
  migrate(db, migrations.slice(0, 1));
  const insert = db.prepare(`INSERT INTO requests (started_at, duration_ms, ttfb_ms, client_format, requested_model, route_kind, route, provider,
    model, key_id, account_id, attempts, outcome, error_code, status, stream, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
    reasoning_tokens, estimated, cost_basis, cost_usd, price_version) VALUES (?, 100, 10, 'anthropic', 'm', ?, ?, 'p', 'm', 'k1', NULL, 1, ?, NULL, ?, 1, 10, 5, 2, 0, 0, 0, 'priced', 0.5, 'builtin-x')`);
  const hour = 3_600_000;
  insert.run(Date.UTC(2026, 0, 1, 10), 'combo', 'work', 'ok', 200);
  insert.run(Date.UTC(2026, 0, 1, 10) + 60_000, 'combo', 'work', 'error', 429);
  insert.run(Date.UTC(2026, 0, 1, 10) + hour, 'direct', null, 'ok', 200);
  db.close();
  return path;
}

describe('usage database migrations', () => {
  it('brings a version-1 file forward: rows kept, new guard columns 0, rollups built from the old rows', () => {
    const path = versionOneFile();
    const { db } = openUsageDatabase(path);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(currentSchemaVersion);
      const rows = db.prepare('SELECT outcome, upstream_rate_limited, fallbacks FROM requests ORDER BY id').all();
      expect(rows).toEqual([
        { outcome: 'ok', upstream_rate_limited: 0, fallbacks: 0 },
        { outcome: 'error', upstream_rate_limited: 0, fallbacks: 0 },
        { outcome: 'ok', upstream_rate_limited: 0, fallbacks: 0 },
      ]);
      const hours = db.prepare("SELECT bucket_start, route, credential, requests, errors, input_tokens, cost_usd, rate_limited_reached_client FROM rollups WHERE granularity = 'hour' ORDER BY bucket_start").all();
      expect(hours).toEqual([
        { bucket_start: Date.UTC(2026, 0, 1, 10), route: 'combo:work', credential: 'key:k1', requests: 2, errors: 1, input_tokens: 20, cost_usd: 1, rate_limited_reached_client: 1 },
        { bucket_start: Date.UTC(2026, 0, 1, 11), route: '', credential: 'key:k1', requests: 1, errors: 0, input_tokens: 10, cost_usd: 0.5, rate_limited_reached_client: 0 },
      ]);
      const days = db.prepare("SELECT SUM(requests) AS requests FROM rollups WHERE granularity = 'day'").get();
      expect(days).toEqual({ requests: 3 });
      // Version 3: how rate limits were handled, 0 for the rows that came before it, in rows and rollups alike.
      const handled = 'SUM(rate_limits_retried) AS retried, SUM(rate_limits_rotated) AS rotated, SUM(rate_limits_fell_back) AS fellBack';
      expect(db.prepare(`SELECT ${handled} FROM requests`).get()).toEqual({ retried: 0, rotated: 0, fellBack: 0 });
      expect(db.prepare(`SELECT ${handled} FROM rollups`).get()).toEqual({ retried: 0, rotated: 0, fellBack: 0 });
    } finally {
      db.close();
    }
  });

  it('opening twice is a no-op, and a file from a newer Switchyard is left untouched', () => {
    const path = versionOneFile();
    openUsageDatabase(path).db.close();
    const { db } = openUsageDatabase(path);
    expect(db.prepare('SELECT COUNT(*) AS n FROM requests').get()).toEqual({ n: 3 });
    db.pragma('user_version = 99');
    db.close();
    expect(() => openUsageDatabase(path)).toThrow(/newer than this Switchyard/);
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT COUNT(*) AS n FROM requests').get()).toEqual({ n: 3 });
    raw.close();
  });
});
