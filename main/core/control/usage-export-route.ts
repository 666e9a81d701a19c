// GET /api/usage/export?from=<ISO>&to=<ISO>&format=jsonl|csv (docs/usage.md "Export"): one line per request,
// streamed from the ledger as the client drains it, behind the management token like every /api/ route.
import type { ServerResponse } from 'node:http';
import type { ManagementRouter } from '../server/management-router.ts';
import type { ExportFormat } from '../usage/usage-export.ts';
import { exportFormats } from '../usage/usage-export.ts';
import { UsageQueryError } from '../usage/usage-queries.ts';
import { ControlError } from './control-error.ts';
import type { ControlService } from './control-service.ts';
import { sendApiError } from './control-routes.ts';
import { asControlError, ledgerOf } from './usage-handlers.ts';

export const usageExportPath = '/api/usage/export';

const contentTypes: Record<ExportFormat, string> = { jsonl: 'application/x-ndjson; charset=utf-8', csv: 'text/csv; charset=utf-8' };

function invalid(message: string): ControlError {
  return new ControlError('invalid_arguments', `usage export: ${message}`);
}

/** An ISO 8601 time (a date alone means its UTC midnight) as epoch milliseconds. */
function parseTime(name: string, value: string | null, fallback?: number): number {
  if (value === null || value === '') {
    if (fallback !== undefined) return fallback;
    throw invalid(`${name} is missing; give an ISO 8601 time such as 2026-12-01T00:00:00Z`);
  }
  const parsed = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(parsed)) throw invalid(`${name} "${value}" is not an ISO 8601 time such as 2026-12-01T00:00:00Z`);
  return parsed;
}

/** The range and format asked for; `to` defaults to now, `format` to jsonl. */
export function exportQuery(query: URLSearchParams, now: number): { from: number; to: number; format: ExportFormat } {
  const from = parseTime('from', query.get('from'));
  const to = parseTime('to', query.get('to'), now);
  if (to <= from) throw invalid('to must be after from');
  const format = query.get('format') ?? 'jsonl';
  if (!(exportFormats as readonly string[]).includes(format)) throw invalid(`format must be jsonl or csv, not "${format}"`);
  return { from, to, format: format as ExportFormat };
}

function fileName(range: { from: number; to: number; format: ExportFormat }): string {
  const day = (time: number) => new Date(time).toISOString().slice(0, 10);
  return `switchyard-usage-${day(range.from)}-to-${day(range.to)}.${range.format}`;
}

export function registerUsageExportRoute(router: ManagementRouter, control: ControlService): void {
  router.add('GET', usageExportPath, async ({ url, response }) => {
    let range;
    try {
      range = exportQuery(url.searchParams, control.now());
      const ledger = ledgerOf(control);
      await streamExport(response, range, (out) => ledger.exportTo(range!, out));
    } catch (error) {
      if (!(error instanceof ControlError)) throw error;
      sendApiError(response, error.toApiError());
    }
    return undefined;
  });
}

async function streamExport(response: ServerResponse, range: { from: number; to: number; format: ExportFormat }, write: (out: ServerResponse) => Promise<number>): Promise<void> {
  // Headers go out with the first rows: a refusal found before (database unavailable) is still a clean JSON error.
  response.setHeader('content-type', contentTypes[range.format]);
  response.setHeader('content-disposition', `attachment; filename="${fileName(range)}"`);
  response.setHeader('cache-control', 'no-store');
  try {
    await write(response);
  } catch (error) {
    if (!response.headersSent) {
      response.removeHeader('content-disposition');
      // Recording off, the database unavailable: the ledger's own words.
      if (error instanceof UsageQueryError) throw asControlError(error);
      throw new ControlError('unavailable', `usage export failed: ${(error as Error).message}`);
    }
    // Mid-stream: the only honest signal left is to cut the response, so the download is not mistaken for complete.
    response.destroy();
    return;
  }
  response.end();
}
