// Usage events as the request path will hand them to the recorder, for ledger tests.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UsageEvent } from '../../main/core/usage/build-usage-record.ts';

export function usageEvent(overrides: Partial<UsageEvent> = {}): UsageEvent {
  return {
    startedAt: Date.UTC(2026, 11, 1, 12, 0, 0),
    durationMs: 1200,
    ttfbMs: 300,
    clientFormat: 'anthropic',
    requestedModel: 'claude-sonnet-4-5',
    routeKind: 'direct',
    route: null,
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    keyId: 'fake-key-1',
    accountId: null,
    attempts: 1,
    outcome: 'ok',
    errorCode: null,
    status: 200,
    stream: true,
    usage: { inputTokens: 1000, cacheReadTokens: 600, cacheWriteTokens: 100, outputTokens: 80 },
    upstreamRateLimited: 0,
    upstreamFailures: 0,
    keyRotations: 0,
    fallbacks: 0,
    rateLimitsRetried: 0,
    rateLimitsRotated: 0,
    rateLimitsFellBack: 0,
    ...overrides,
  };
}

/** A throwaway data folder, removed by the returned function. */
export function temporaryDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-usage-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The ledger's rows as the SQLite file holds them, after the engine has written its queue (oldest first). */
export function ledgerRows<Row>(engine: { usage?: { recent(): unknown } }, dataDir: string): Row[] {
  engine.usage!.recent();
  const db = new Database(join(dataDir, 'usage.db'), { readonly: true });
  try {
    return db.prepare('SELECT * FROM requests ORDER BY id').all() as Row[];
  } finally {
    db.close();
  }
}
