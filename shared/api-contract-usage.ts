import { z } from 'zod';
import { wireFormats } from './wire-format.ts';
import {
  credentialUsageViewSchema,
  ledgerStatusViewSchema,
  usageBuckets,
  usageGroupings,
  usageOutcomes,
  usageRequestPageSchema,
  usageSummaryViewSchema,
} from './usage-views.ts';

// The usage ledger's channels (docs/usage.md), merged into the API contract in one line. Their queries take
// arguments, so they are POST routes in web mode even though they only read. Results are the strict views of
// shared/usage-views.ts: ids, counts and dollars, never a secret.

/** Epoch milliseconds. */
const time = z.number().int('a time is whole epoch milliseconds').min(0);
const name = z.string().trim().min(1).max(200);

const range = z
  .strictObject({ from: time, to: time })
  .refine((value) => value.to > value.from, { message: 'the range must end after it starts', path: ['to'] });

export const usageChannels = {
  /** Totals per time bucket over [from, to), optionally one series per provider, model, key, client format or route. */
  'usage.summary': {
    method: 'POST',
    args: z
      .strictObject({ from: time, to: time, bucket: z.enum(usageBuckets).default('hour'), groupBy: z.enum(usageGroupings).optional() })
      .refine((value) => value.to > value.from, { message: 'the range must end after it starts', path: ['to'] }),
    result: usageSummaryViewSchema,
  },
  /** The latest requests, newest first, in pages (`before` = the previous page's nextBefore), filtered. */
  'usage.recent': {
    method: 'POST',
    args: z.strictObject({
      before: z.number().int().min(1).optional(),
      limit: z.number().int().min(1).max(500).default(50),
      from: time.optional(),
      to: time.optional(),
      provider: name.optional(),
      model: name.optional(),
      keyId: name.optional(),
      accountId: name.optional(),
      clientFormat: z.enum(wireFormats).optional(),
      outcome: z.enum(usageOutcomes).optional(),
      route: name.optional(),
    }),
    result: usageRequestPageSchema,
  },
  /** Use per key or signed-in account over [from, to), busiest first. */
  'usage.credentials': { method: 'POST', args: range, result: z.strictObject({ credentials: z.array(credentialUsageViewSchema) }) },
  /** Is recording working: health, message, counts, the file and its size. */
  'usage.status': { method: 'GET', args: z.strictObject({}), result: ledgerStatusViewSchema },
} as const satisfies Record<string, { method: 'GET' | 'POST'; args: z.ZodType; result: z.ZodType }>;
