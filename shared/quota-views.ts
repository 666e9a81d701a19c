import { z } from 'zod';

// Limits and quotas with a forecast, for the Usage screen's per-key table, the provider card and the tray
// (docs/usage.md, "Limits and forecasts"). Keys and accounts by id only; strict objects, so nothing else can pass.

export const quotaSources = ['guard', 'vendor'] as const;
export const quotaUnits = ['requests', 'percent'] as const;
/** rolling: each request counts for the window's length; fixed: everything resets at one time (resetAt). */
export const quotaResetKinds = ['rolling', 'fixed', 'unknown'] as const;
/** ok: not at the current rate before it resets; soon: runs out within the warning time; out: nothing left. */
export const forecastStates = ['ok', 'soon', 'out'] as const;

export const quotaMeterViewSchema = z.strictObject({
  /** For people: "daily limit", "hourly limit", "premium requests", "primary (5 h)". */
  name: z.string(),
  /** guard: the limit configured for the key, counted by the guard; vendor: the vendor's own figure. */
  source: z.enum(quotaSources),
  unit: z.enum(quotaUnits),
  used: z.number().min(0),
  limit: z.number().min(0),
  resetKind: z.enum(quotaResetKinds),
  /** fixed: when it resets; rolling: when the oldest counted request leaves the window; null when unknown. */
  resetAt: z.number().nullable(),
  /** The zone the vendor resets in, when it is a wall-clock reset (Gemini's day ends at midnight Pacific). */
  resetTimeZone: z.string().nullable(),
  windowMs: z.number().nullable(),
  /** Units per hour at the current rate; null when it cannot be told. */
  ratePerHour: z.number().min(0).nullable(),
  /** When it runs out at that rate; null when it does not before it resets (or the rate is unknown). */
  runsOutAt: z.number().nullable(),
  state: z.enum(forecastStates),
});

export const credentialQuotaViewSchema = z.strictObject({
  provider: z.string(),
  providerName: z.string(),
  keyId: z.string().nullable(),
  accountId: z.string().nullable(),
  /** "key-2" or the account's login. */
  label: z.string(),
  meters: z.array(quotaMeterViewSchema),
});

export const quotaForecastViewSchema = z.strictObject({
  takenAt: z.number(),
  /** A meter is `soon` when it runs out within this long. */
  warnWithinMs: z.number(),
  /** Where the current rate of requests comes from: the usage ledger's last hour, or the guard's own windows. */
  rateFrom: z.enum(['ledger', 'guard']),
  /** Only keys and accounts with at least one limit or quota. */
  credentials: z.array(credentialQuotaViewSchema),
});

export type QuotaMeterView = z.infer<typeof quotaMeterViewSchema>;
export type CredentialQuotaView = z.infer<typeof credentialQuotaViewSchema>;
export type QuotaForecastView = z.infer<typeof quotaForecastViewSchema>;
export type ForecastState = (typeof forecastStates)[number];
