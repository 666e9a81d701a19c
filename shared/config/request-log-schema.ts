import { z } from 'zod';

// The opt-in request log (docs/request-log.md): full requests and answers kept for debugging, off unless asked for.
// The dashboard can also turn it on for the next N requests without touching the config (see the requestLog.*
// channels); that switch lives in memory and ends with the engine.

export const requestLogSchema = z.strictObject({
  enabled: z
    .boolean()
    .default(false)
    .describe('Keep every request and answer in full (secrets masked) in the request log. Off by default: prompts and answers are private.'),
  providers: z
    .array(z.string().min(1))
    .max(100)
    .default([])
    .describe('Log only requests served by these provider ids; empty: every provider (and requests refused before any provider).'),
  maxEntries: z.number().int().min(1).max(10_000).default(200).describe('Most entries kept; the oldest is dropped beyond.'),
  maxMegabytes: z.number().int().min(1).max(1024).default(32).describe('Most space the entries take; the oldest are dropped beyond. Each of an entry\'s four parts keeps at most an eighth of this, and at most 1 MiB; the rest is counted, not kept.'),
  keep: z
    .enum(['disk', 'memory'])
    .default('disk')
    .describe('"disk": request-log.db in the data folder (mode 0600), kept across restarts until cleared; "memory": gone when the engine stops.'),
});

export type RequestLogConfig = z.infer<typeof requestLogSchema>;
