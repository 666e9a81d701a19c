import { z } from 'zod';
import { requestLogSchema } from './request-log-schema.ts';

// The usage ledger: how long raw rows are kept, how big the database may grow, and prices that override or add to
// the shipped table (docs/usage.md).

const perMillion = z.number().min(0).describe('US dollars per million tokens.');

export const modelPriceSchema = z.strictObject({
  input: perMillion.describe('US dollars per million uncached input tokens.'),
  output: perMillion.describe('US dollars per million output tokens (reasoning included).'),
  cacheRead: perMillion.optional().describe('US dollars per million tokens read from the prompt cache. Default: the input price.'),
  cacheWrite: perMillion.optional().describe('US dollars per million tokens written to the prompt cache. Default: the input price.'),
});

export const usageSchema = z.strictObject({
  enabled: z.boolean().default(true).describe('Record one row per request in the usage ledger (usage.db in the data folder).'),
  retentionDays: z.number().int().min(1).max(3650).default(90).describe('Days raw per-request rows are kept; hourly and daily totals are kept for good.'),
  maxDatabaseMegabytes: z.number().int().min(8).default(512).describe('Largest size of the usage database; beyond it the oldest raw rows are deleted first.'),
  prices: z
    .record(z.string().min(1), modelPriceSchema)
    .default({})
    .describe('Prices per model, overriding or adding to the shipped table. Key: a model name ("glm-4.7") or "provider-id/model" for one provider only.'),
  requestLog: requestLogSchema.default(requestLogSchema.parse({})).describe('The opt-in request log: full requests and answers, secrets masked, capped (docs/request-log.md).'),
});

export type ModelPrice = z.infer<typeof modelPriceSchema>;
export type UsageConfig = z.infer<typeof usageSchema>;
