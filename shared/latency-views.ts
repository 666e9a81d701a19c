import { z } from 'zod';
import { usageBuckets } from './usage-views.ts';

// Latency percentiles as the Usage screen draws them: per time bucket, the total duration and the time to the
// upstream's first byte. Exact nearest-rank percentiles over the raw rows (docs/usage.md, "Latency").

const percentiles = {
  /** Requests in the bucket (every row has a duration). */
  requests: z.number().int().min(0),
  durationP50Ms: z.number().nullable(),
  durationP95Ms: z.number().nullable(),
  /** Requests whose upstream sent a first byte (refusals and failures before headers have none). */
  ttfbRequests: z.number().int().min(0),
  ttfbP50Ms: z.number().nullable(),
  ttfbP95Ms: z.number().nullable(),
};

export const latencyPercentilesSchema = z.strictObject(percentiles);

export const usageLatencyViewSchema = z.strictObject({
  from: z.number(),
  to: z.number(),
  bucket: z.enum(usageBuckets),
  /** The oldest raw row kept: percentiles need per-request rows, so earlier buckets are missing (null: no rows at all). */
  rawFrom: z.number().nullable(),
  /** Only buckets with requests, oldest first. */
  buckets: z.array(z.strictObject({ start: z.number(), ...percentiles })),
  overall: latencyPercentilesSchema,
});

export type LatencyPercentiles = z.infer<typeof latencyPercentilesSchema>;
export type UsageLatencyView = z.infer<typeof usageLatencyViewSchema>;
