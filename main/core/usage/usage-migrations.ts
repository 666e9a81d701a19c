// The ledger's schema as a versioned list. A database records the version it is at (PRAGMA user_version); opening
// applies every later step in one transaction each, so an older file is brought forward without losing rows.
// Steps are only ever appended: a released step never changes.
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  describe: string;
  up(db: Database.Database): void;
}

const rollupSums = `
  requests INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cache_read_tokens INTEGER NOT NULL DEFAULT 0,
  cache_write_tokens INTEGER NOT NULL DEFAULT 0,
  reasoning_tokens INTEGER NOT NULL DEFAULT 0,
  estimated_requests INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  unpriced_requests INTEGER NOT NULL DEFAULT 0,
  included_requests INTEGER NOT NULL DEFAULT 0,
  duration_ms_sum INTEGER NOT NULL DEFAULT 0,
  upstream_rate_limited INTEGER NOT NULL DEFAULT 0,
  upstream_failures INTEGER NOT NULL DEFAULT 0,
  key_rotations INTEGER NOT NULL DEFAULT 0,
  fallbacks INTEGER NOT NULL DEFAULT 0,
  rate_limited_reached_client INTEGER NOT NULL DEFAULT 0`;

/** Added by version 3, to requests and rollups alike (appended, so rollups' column order is the v2 order plus these). */
const handledRateLimitColumns = ['rate_limits_retried', 'rate_limits_rotated', 'rate_limits_fell_back'] as const;

export const migrations: readonly Migration[] = [
  {
    version: 1,
    describe: 'one row per request',
    up(db) {
      db.exec(`
        CREATE TABLE requests (
          id INTEGER PRIMARY KEY,
          started_at INTEGER NOT NULL,
          duration_ms INTEGER NOT NULL,
          ttfb_ms INTEGER,
          client_format TEXT NOT NULL,
          requested_model TEXT NOT NULL,
          route_kind TEXT NOT NULL,
          route TEXT,
          provider TEXT,
          model TEXT,
          key_id TEXT,
          account_id TEXT,
          attempts INTEGER NOT NULL,
          outcome TEXT NOT NULL,
          error_code TEXT,
          status INTEGER NOT NULL,
          stream INTEGER NOT NULL,
          input_tokens INTEGER NOT NULL,
          output_tokens INTEGER NOT NULL,
          cache_read_tokens INTEGER NOT NULL,
          cache_write_tokens INTEGER NOT NULL,
          reasoning_tokens INTEGER NOT NULL,
          estimated INTEGER NOT NULL,
          cost_basis TEXT NOT NULL,
          cost_usd REAL,
          price_version TEXT
        );
        CREATE INDEX requests_by_time ON requests (started_at);
      `);
    },
  },
  {
    version: 2,
    describe: "the guard's work per request, and hourly and daily rollups kept after raw rows expire",
    up(db) {
      db.exec(`
        ALTER TABLE requests ADD COLUMN upstream_rate_limited INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE requests ADD COLUMN upstream_failures INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE requests ADD COLUMN key_rotations INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE requests ADD COLUMN fallbacks INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE rollups (
          granularity TEXT NOT NULL,
          bucket_start INTEGER NOT NULL,
          provider TEXT NOT NULL,
          model TEXT NOT NULL,
          credential TEXT NOT NULL,
          client_format TEXT NOT NULL,
          route TEXT NOT NULL,
          ${rollupSums},
          PRIMARY KEY (granularity, bucket_start, provider, model, credential, client_format, route)
        ) WITHOUT ROWID;
      `);
      // Rows recorded before rollups existed are rolled up now, so history keeps its totals after they expire.
      for (const [granularity, size] of [['hour', 3_600_000], ['day', 86_400_000]] as const) {
        db.prepare(`
          INSERT INTO rollups
          SELECT ?, (started_at / ${size}) * ${size}, IFNULL(provider, ''), IFNULL(model, ''),
            CASE WHEN key_id IS NOT NULL THEN 'key:' || key_id WHEN account_id IS NOT NULL THEN 'account:' || account_id ELSE '' END,
            client_format, CASE WHEN route IS NULL THEN '' ELSE route_kind || ':' || route END,
            COUNT(*), SUM(outcome != 'ok'), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens),
            SUM(reasoning_tokens), SUM(estimated), IFNULL(SUM(cost_usd), 0), SUM(cost_basis = 'unknown'), SUM(cost_basis = 'included'),
            SUM(duration_ms), 0, 0, 0, 0, SUM(status = 429)
          FROM requests GROUP BY 2, 3, 4, 5, 6, 7
        `).run(granularity);
      }
    },
  },
  {
    version: 3,
    describe: 'how each rate-limited answer was handled: retried on the same key, rotated to another key, fallen back to the next target',
    up(db) {
      // Rows from before version 3 keep 0 here: their rate limits are counted, just not split by how they were handled.
      for (const table of ['requests', 'rollups']) {
        for (const column of handledRateLimitColumns) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} INTEGER NOT NULL DEFAULT 0`);
      }
    },
  },
  {
    version: 4,
    describe: 'per write-ahead journal (usage-journal.ts), the last line held here, so a replay after a crash never writes a row twice',
    up(db) {
      db.exec('CREATE TABLE journal_state (journal TEXT PRIMARY KEY, last_seq INTEGER NOT NULL) WITHOUT ROWID');
    },
  },
];

export const currentSchemaVersion = migrations[migrations.length - 1]!.version;

/** Brings `db` to the current version; refuses a file written by a newer Switchyard rather than damage it. */
export function migrate(db: Database.Database, steps: readonly Migration[] = migrations): number {
  const at = db.pragma('user_version', { simple: true }) as number;
  const latest = steps[steps.length - 1]?.version ?? 0;
  if (at > latest) throw new Error(`the usage database is at schema version ${at}, newer than this Switchyard knows (${latest}); it was left untouched`);
  for (const step of steps) {
    if (step.version <= at) continue;
    db.transaction(() => {
      step.up(db);
      db.pragma(`user_version = ${step.version}`);
    })();
  }
  return latest;
}
