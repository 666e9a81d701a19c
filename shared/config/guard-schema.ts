import { z } from 'zod';

// Settings of the execution guard (docs/guard.md). Every field is optional: the guard fills in
// defaults at run time (see main/core/guard/), so a config file only names what it changes.

export const limitsSchema = z.strictObject({
  maxConcurrent: z.number().int().min(1).optional().describe('Most upstream requests in flight at once.'),
  minDelayMs: z.number().int().min(0).optional().describe('Least time between two sends, in ms.'),
  burst: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Requests that may leave back to back before spacing applies (spacing: minDelayMs, or 60000/perMinute when minDelayMs is 0).'),
  perMinute: z.number().int().min(1).optional().describe('Requests per rolling minute.'),
  perHour: z.number().int().min(1).optional().describe('Requests per rolling hour.'),
  perDay: z.number().int().min(1).optional().describe('Requests per rolling day.'),
  tokensPerMinute: z.number().int().min(1).optional().describe('Estimated input tokens per rolling minute.'),
});

export const keyStrategies = ['round-robin', 'random', 'weighted', 'fill-first', 'least-used'] as const;

export const guardPresets = ['default', 'gemini-free-tier'] as const;

export const queueSchema = z.strictObject({
  maxLength: z.number().int().min(0).optional().describe('Requests that may wait for a free slot; more are refused with 429.'),
  maxWaitMs: z.number().int().min(0).optional().describe('Longest a request waits in the queue before it is refused with 429.'),
});

export const retrySchema = z.strictObject({
  maxAttempts: z.number().int().min(1).optional().describe('Attempts per target, the first one included.'),
  baseDelayMs: z.number().int().min(0).optional().describe('First backoff delay; doubles each retry, with jitter.'),
  maxDelayMs: z.number().int().min(0).optional().describe('Longest backoff delay.'),
  maxRetryAfterMs: z.number().int().min(0).optional().describe('Longest upstream retry hint that is waited for; a longer one fails over at once.'),
});

export const breakerSchema = z.strictObject({
  failureThreshold: z.number().int().min(1).optional().describe('Provider failures within windowMs that open the breaker.'),
  windowMs: z.number().int().min(1).optional().describe('Window in which failures are counted.'),
  cooldownMs: z.number().int().min(1).optional().describe('How long the breaker stays open before a half-open probe.'),
  halfOpenProbes: z.number().int().min(1).optional().describe('Successful probes needed to close the breaker again.'),
});

export const dedupSchema = z.strictObject({
  enabled: z.boolean().optional().describe('Share one upstream call among identical in-flight non-streaming requests.'),
  windowMs: z.number().int().min(0).optional().describe('How long a finished answer may still be shared.'),
});

/** Guard fields of a provider. */
export const providerGuardFields = {
  limits: limitsSchema.optional().describe("Limits of each key of this provider; a key's own `limits` override them field by field."),
  providerLimits: limitsSchema
    .optional()
    .describe('Limits of the provider as a whole, across all its keys (e.g. keys that share one project quota).'),
  keyStrategy: z.enum(keyStrategies).optional().describe('How the key for each attempt is chosen.'),
  queue: queueSchema.optional(),
  retry: retrySchema.optional(),
  breaker: breakerSchema.optional(),
  dedup: dedupSchema.optional(),
  guardPreset: z.enum(guardPresets).optional().describe('A named set of guard defaults; explicit fields override it.'),
};

/** Guard fields a single key may override. */
export const keyGuardFields = {
  limits: limitsSchema.optional().describe("This key's limits; fields left out come from the provider's `limits`."),
  weight: z.number().min(0).optional().describe('Share of traffic for the weighted key strategy.'),
};

export type LimitsConfig = z.infer<typeof limitsSchema>;
export type QueueConfig = z.infer<typeof queueSchema>;
export type RetryConfig = z.infer<typeof retrySchema>;
export type BreakerConfig = z.infer<typeof breakerSchema>;
export type DedupConfig = z.infer<typeof dedupSchema>;
export type GuardPreset = (typeof guardPresets)[number];
export type KeyStrategy = (typeof keyStrategies)[number];
