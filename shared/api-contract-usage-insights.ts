import { z } from 'zod';
import { usageLatencyViewSchema } from './latency-views.ts';
import { quotaForecastViewSchema } from './quota-views.ts';
import { usageBuckets } from './usage-views.ts';

// The Usage screen's latency chart and the limits-and-forecast views (docs/usage.md), merged into the API contract
// in one line, apart from the ledger's own channels (api-contract-usage.ts).

const time = z.number().int('a time is whole epoch milliseconds').min(0);

export const usageInsightChannels = {
  /** p50/p95 of duration and time to first byte per bucket over [from, to), exact, from the raw rows. */
  'usage.latency': {
    method: 'POST',
    args: z
      .strictObject({ from: time, to: time, bucket: z.enum(usageBuckets).default('hour') })
      .refine((value) => value.to > value.from, { message: 'the range must end after it starts', path: ['to'] }),
    result: usageLatencyViewSchema,
  },
  /** Every key's and account's limits and vendor quotas, with when each runs out at the current rate and resets. */
  'quota.forecast': { method: 'GET', args: z.strictObject({}), result: quotaForecastViewSchema },
} as const satisfies Record<string, { method: 'GET' | 'POST'; args: z.ZodType; result: z.ZodType }>;
