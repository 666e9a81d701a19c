import { z } from 'zod';
import { wireFormats } from './wire-format.ts';

// What the UI sees of the request log (docs/request-log.md). Unlike the usage ledger it holds bodies and headers,
// so every text in these views has been masked for every credential before it was stored; the schemas stay strict
// so nothing unlisted reaches the renderer.

/** One of an entry's four parts: a request line or status, headers and the body (a stream as its events). */
export const capturedMessageViewSchema = z.strictObject({
  /** `POST /v1/messages`, `POST https://api.example.com/v1/chat/completions`, or the status (`200`). */
  line: z.string(),
  headers: z.record(z.string(), z.string()),
  /** The body as text (masked), cut at the part's cap. */
  body: z.string(),
  /** Server-sent events or NDJSON lines, one per item, when the part was a stream; null otherwise. */
  events: z.array(z.string()).nullable(),
  /** Bytes beyond the cap that were not kept. */
  omittedBytes: z.number().int().min(0),
});
export type CapturedMessageView = z.infer<typeof capturedMessageViewSchema>;

const summaryFields = {
  id: z.number().int().min(1),
  startedAt: z.number(),
  durationMs: z.number().min(0),
  clientFormat: z.enum(wireFormats),
  method: z.string(),
  path: z.string(),
  requestedModel: z.string(),
  /** The provider that answered (or was last tried); null when none was. */
  provider: z.string().nullable(),
  upstreamFormat: z.enum(wireFormats).nullable(),
  /** The status the client got. */
  status: z.number().int(),
  stream: z.boolean(),
  /** Stored size of the entry, after masking and caps. */
  bytes: z.number().int().min(0),
};

export const requestLogEntrySummarySchema = z.strictObject(summaryFields);
export type RequestLogEntrySummary = z.infer<typeof requestLogEntrySummarySchema>;

/** An entry in full: the client's request, the request sent upstream, the upstream's answer and what the client got. */
export const requestLogEntryViewSchema = z.strictObject({
  ...summaryFields,
  clientRequest: capturedMessageViewSchema,
  /** Null when no request went upstream (refused locally). */
  upstreamRequest: capturedMessageViewSchema.nullable(),
  upstreamAnswer: capturedMessageViewSchema.nullable(),
  clientAnswer: capturedMessageViewSchema,
});
export type RequestLogEntryView = z.infer<typeof requestLogEntryViewSchema>;

export const requestLogStatusViewSchema = z.strictObject({
  /** Whether the next request will be logged (by the config or by the dashboard's switch). */
  capturing: z.boolean(),
  /** The config's standing setting (`usage.requestLog.enabled`). */
  configEnabled: z.boolean(),
  /** Providers the config limits logging to; empty: all. */
  configProviders: z.array(z.string()),
  /** The dashboard's switch: how many more requests it logs, and for which provider (null: any). */
  session: z.strictObject({ remaining: z.number().int().min(0), provider: z.string().nullable() }).nullable(),
  /** Words for the screen: "off", "on for the next 5 requests to anthropic", ... */
  summary: z.string(),
  keep: z.enum(['disk', 'memory']),
  path: z.string().nullable(),
  entries: z.number().int().min(0),
  bytes: z.number().int().min(0),
  maxEntries: z.number().int().min(1),
  maxBytes: z.number().int().min(1),
  /** Why the log cannot be kept, when it cannot (the file cannot be opened, no engine). */
  problem: z.string().nullable(),
});
export type RequestLogStatusView = z.infer<typeof requestLogStatusViewSchema>;

/** Splits a captured stream into its events: blank-line separated SSE events, or one NDJSON line each. */
export function streamEventsOf(body: string): string[] {
  const text = body.replaceAll('\r\n', '\n');
  const separator = text.includes('\n\n') || text.startsWith('data:') || text.startsWith('event:') ? /\n\n+/ : /\n+/;
  return text.split(separator).filter((event) => event.trim() !== '');
}
