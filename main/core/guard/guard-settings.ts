import { z } from 'zod';
import type { GuardPreset, KeyStrategy, LimitsConfig } from '../../../shared/config/guard-schema.ts';
import { keyStrategies, providerGuardFields } from '../../../shared/config/guard-schema.ts';
import { guardPresetSettings } from './guard-presets.ts';

/** Limits with every default filled in. Absent windows are unlimited; `maxConcurrent` may be Infinity. */
export interface ResolvedLimits {
  maxConcurrent: number;
  minDelayMs: number;
  burst: number | undefined;
  perMinute: number | undefined;
  perHour: number | undefined;
  perDay: number | undefined;
  tokensPerMinute: number | undefined;
}

export interface ResolvedGuardSettings {
  preset: GuardPreset;
  /** Limits of each key (before the key's own overrides). */
  limits: ResolvedLimits;
  /** Limits of the provider as a whole. */
  providerLimits: ResolvedLimits;
  keyStrategy: KeyStrategy;
  queue: { maxLength: number; maxWaitMs: number };
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number; maxRetryAfterMs: number };
  breaker: { failureThreshold: number; windowMs: number; cooldownMs: number; halfOpenProbes: number };
  dedup: { enabled: boolean; windowMs: number };
}

/** What a preset (or the built-in defaults) sets; the same shape as the config, every field filled. */
export type GuardSettingsLayer = Omit<ResolvedGuardSettings, 'preset' | 'limits' | 'providerLimits'> & {
  limits: LimitsConfig;
  providerLimits: LimitsConfig;
};

const providerGuardSchema = z.object(providerGuardFields);

function withoutUndefined<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

export function resolveLimits(base: LimitsConfig, override?: LimitsConfig): ResolvedLimits {
  const merged = { ...withoutUndefined(base), ...withoutUndefined(override) };
  return {
    maxConcurrent: merged.maxConcurrent ?? Number.POSITIVE_INFINITY,
    minDelayMs: merged.minDelayMs ?? 0,
    burst: merged.burst,
    perMinute: merged.perMinute,
    perHour: merged.perHour,
    perDay: merged.perDay,
    tokensPerMinute: merged.tokensPerMinute,
  };
}

/**
 * Built-in defaults <- preset <- the provider's own fields. `settings` is the provider's guard fields as written
 * in the config (already validated by the config schema; checked again here because the guard is also fed
 * programmatically).
 */
export function resolveGuardSettings(settings: Record<string, unknown>, keyStrategy?: KeyStrategy): ResolvedGuardSettings {
  const parsed = providerGuardSchema.safeParse(settings);
  if (!parsed.success) throw new Error(`Invalid guard settings: ${z.prettifyError(parsed.error)}`);
  const fields = parsed.data;
  const preset: GuardPreset = fields.guardPreset ?? 'default';
  const layer = guardPresetSettings(preset);
  const strategy = keyStrategy ?? fields.keyStrategy ?? layer.keyStrategy;
  if (!keyStrategies.includes(strategy)) throw new Error(`Unknown key strategy: ${String(strategy)}`);
  return {
    preset,
    limits: resolveLimits(layer.limits, fields.limits),
    providerLimits: resolveLimits(layer.providerLimits, fields.providerLimits),
    keyStrategy: strategy,
    queue: { ...layer.queue, ...withoutUndefined(fields.queue) },
    retry: { ...layer.retry, ...withoutUndefined(fields.retry) },
    breaker: { ...layer.breaker, ...withoutUndefined(fields.breaker) },
    dedup: { ...layer.dedup, ...withoutUndefined(fields.dedup) },
  };
}

/** A key's limits: the provider's per-key limits with the key's own fields on top. */
export function resolveKeyLimits(settings: ResolvedGuardSettings, override?: LimitsConfig): ResolvedLimits {
  const base: LimitsConfig = withoutUndefined({
    ...settings.limits,
    maxConcurrent: Number.isFinite(settings.limits.maxConcurrent) ? settings.limits.maxConcurrent : undefined,
  });
  return resolveLimits(base, override);
}
