import { z } from 'zod';
import { requestLogEntrySummarySchema, requestLogEntryViewSchema, requestLogStatusViewSchema } from './request-log-views.ts';

// The request log's channels (docs/request-log.md), merged into the API contract in one line. Entries hold prompts
// and answers (masked for secrets), so like every channel they need the management token in web mode.

export const requestLogChannels = {
  /** Whether requests are being logged, why, and how full the log is. */
  'requestLog.status': { method: 'GET', args: z.strictObject({}), result: requestLogStatusViewSchema },
  /** Logs the next `requests` requests (to one provider, or any), whatever the config says; replaces an earlier switch. */
  'requestLog.start': {
    method: 'POST',
    args: z.strictObject({
      requests: z.number().int('a whole number of requests').min(1, 'log at least 1 request').max(10_000, 'log at most 10,000 requests at once'),
      provider: z.string().trim().min(1).max(100).optional(),
    }),
    result: requestLogStatusViewSchema,
  },
  /** Ends the dashboard's switch (the config's `usage.requestLog.enabled` is left as it is). */
  'requestLog.stop': { method: 'POST', args: z.strictObject({}), result: requestLogStatusViewSchema },
  /** Entries, newest first, without their bodies; `before` = the previous page's nextBefore. */
  'requestLog.list': {
    method: 'POST',
    args: z.strictObject({ before: z.number().int().min(1).optional(), limit: z.number().int().min(1).max(200).default(50) }),
    result: z.strictObject({ entries: z.array(requestLogEntrySummarySchema), nextBefore: z.number().int().nullable() }),
  },
  /** One entry with its four parts. */
  'requestLog.read': { method: 'POST', args: z.strictObject({ id: z.number().int().min(1) }), result: requestLogEntryViewSchema },
  /** Deletes every entry (and gives the space back). */
  'requestLog.clear': { method: 'POST', args: z.strictObject({}), result: requestLogStatusViewSchema },
} as const satisfies Record<string, { method: 'GET' | 'POST'; args: z.ZodType; result: z.ZodType }>;
