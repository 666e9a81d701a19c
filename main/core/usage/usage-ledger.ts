// The usage ledger as the engine holds it: one recorder writing <dataDir>/usage.db, and the queries and the export
// the control service serves. With `usage.enabled: false` nothing is written and the status says so.
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { UsageConfig } from '../../../shared/config/usage-schema.ts';
import type { UsageLatencyView } from '../../../shared/latency-views.ts';
import type { CredentialUsageView, LedgerStatusView, UsageRequestPage, UsageSummaryView } from '../../../shared/usage-views.ts';
import type { Logger } from '../logging/logger.ts';
import type { UsageEvent } from './build-usage-record.ts';
import { createPriceTable } from './price-table.ts';
import type { ExportRange } from './usage-export.ts';
import { exportUsage } from './usage-export.ts';
import type { LatencyQuery, RecentQuery, SummaryQuery } from './usage-queries.ts';
import { credentialUsage, latencyPercentiles, recentRequests, summarizeUsage, UsageQueryError } from './usage-queries.ts';
import type { UsageRecorder } from './usage-recorder.ts';
import { createUsageRecorder } from './usage-recorder.ts';
import { dayMs } from './usage-row-writer.ts';

export const usageDatabaseFile = 'usage.db';

export interface UsageLedger {
  record(event: UsageEvent): void;
  /** Calls back once what was recorded so far is committed (or cannot be); see UsageRecorder.afterWrite. */
  afterWrite(callback: () => void): void;
  status(): LedgerStatusView;
  summary(query: SummaryQuery): UsageSummaryView;
  recent(query?: RecentQuery): UsageRequestPage;
  credentials(from: number, to: number): CredentialUsageView[];
  latency(query: LatencyQuery): UsageLatencyView;
  /** Applies retention and the size cap now (they also run at open and hourly). */
  maintain(): void;
  /** Streams [from, to) into `out` (not ended); resolves with the row count. */
  exportTo(range: ExportRange, out: Writable): Promise<number>;
  close(): void;
}

export interface UsageLedgerOptions {
  dataDir: string;
  config: UsageConfig;
  logger?: Logger;
  now?: () => number;
  flushIntervalMs?: number;
}

const emptyPage: UsageRequestPage = { requests: [], nextBefore: null };

export function openUsageLedger(options: UsageLedgerOptions): UsageLedger {
  const path = join(options.dataDir, usageDatabaseFile);
  const now = options.now ?? Date.now;
  if (!options.config.enabled) return disabledLedger(path);
  const recorder: UsageRecorder = createUsageRecorder({
    path,
    prices: createPriceTable(options.config.prices),
    retentionDays: options.config.retentionDays,
    maxDatabaseBytes: options.config.maxDatabaseMegabytes * 1024 * 1024,
    logger: options.logger,
    now,
    flushIntervalMs: options.flushIntervalMs,
  });
  // Queries first write what is queued, so they include every request that has completed.
  const database = () => {
    recorder.flush();
    const db = recorder.database();
    if (!db) throw new UsageQueryError(recorder.status().message ?? 'the usage database is unavailable');
    return db;
  };
  return {
    record: recorder.record,
    afterWrite: recorder.afterWrite,
    status: recorder.status,
    summary: (query) => summarizeUsage(database(), query, now() - options.config.retentionDays * dayMs),
    recent: (query) => recentRequests(database(), query),
    credentials: (from, to) => credentialUsage(database(), from, to),
    latency: (query) => latencyPercentiles(database(), query),
    maintain: recorder.maintain,
    async exportTo(range, out) {
      database();
      return exportUsage(path, range, out);
    },
    close: recorder.close,
  };
}

function disabledLedger(path: string): UsageLedger {
  const status: LedgerStatusView = { health: 'disabled', message: 'usage recording is off (usage.enabled is false)', path, queued: 0, recorded: 0, dropped: 0, quarantinedFile: null, usedBytes: null };
  const off = () => {
    throw new UsageQueryError(status.message!);
  };
  return {
    record: () => undefined,
    afterWrite: (callback) => callback(),
    status: () => status,
    summary: off,
    recent: () => emptyPage,
    credentials: () => [],
    latency: off,
    maintain: () => undefined,
    exportTo: async () => off(),
    close: () => undefined,
  };
}
