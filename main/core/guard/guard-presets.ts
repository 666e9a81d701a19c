import type { GuardPreset } from '../../../shared/config/guard-schema.ts';
import type { GuardSettingsLayer } from './guard-settings.ts';

/**
 * Defaults for paid API keys: no request windows (paid tiers are large and the provider's own rate-limit headers
 * are learned at run time), enough concurrency for parallel agents, retries that fail over rather than sit on a
 * long retry hint. Every value is documented in docs/guard.md.
 */
export const defaultGuardSettings: GuardSettingsLayer = {
  limits: { maxConcurrent: 16, minDelayMs: 0 },
  providerLimits: {},
  keyStrategy: 'round-robin',
  queue: { maxLength: 256, maxWaitMs: 60_000 },
  retry: { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 },
  breaker: { failureThreshold: 5, windowMs: 30_000, cooldownMs: 30_000, halfOpenProbes: 1 },
  dedup: { enabled: false, windowMs: 0 },
};

/**
 * Gemini API keys on the free tier (docs/wire-formats.md, Gemini API): limits are measured per project as requests per minute,
 * tokens per minute and requests per day, the day resetting at midnight Pacific. The numbers follow the smallest
 * published Flash limits (10 RPM, 250k TPM, 250 RPD via Gemini CLI); sends are spaced evenly (6 s) rather than
 * let out in a burst, because a burst is exactly what produced 429s behind a 1 s delay queue. Each key is
 * assumed to be its own project; keys of one project should share `providerLimits` instead.
 */
export const geminiFreeTierSettings: GuardSettingsLayer = {
  limits: { maxConcurrent: 2, minDelayMs: 6_000, burst: 1, perMinute: 10, perDay: 250, tokensPerMinute: 250_000 },
  providerLimits: {},
  keyStrategy: 'least-used',
  queue: { maxLength: 64, maxWaitMs: 120_000 },
  retry: { maxAttempts: 3, baseDelayMs: 2_000, maxDelayMs: 30_000, maxRetryAfterMs: 65_000 },
  breaker: { failureThreshold: 5, windowMs: 60_000, cooldownMs: 60_000, halfOpenProbes: 1 },
  dedup: { enabled: false, windowMs: 0 },
};

export function guardPresetSettings(preset: GuardPreset): GuardSettingsLayer {
  return preset === 'gemini-free-tier' ? geminiFreeTierSettings : defaultGuardSettings;
}
