import { describe, expect, it } from 'vitest';
import { defaultGuardSettings, geminiFreeTierSettings } from './guard-presets.ts';
import { resolveGuardSettings, resolveKeyLimits } from './guard-settings.ts';

describe('resolveGuardSettings', () => {
  it('fills every field from the defaults', () => {
    const settings = resolveGuardSettings({});
    expect(settings.preset).toBe('default');
    expect(settings.keyStrategy).toBe('round-robin');
    expect(settings.queue).toEqual(defaultGuardSettings.queue);
    expect(settings.retry).toEqual(defaultGuardSettings.retry);
    expect(settings.breaker).toEqual(defaultGuardSettings.breaker);
    expect(settings.dedup).toEqual({ enabled: false, windowMs: 0 });
    expect(settings.limits.maxConcurrent).toBe(16);
    expect(settings.providerLimits.maxConcurrent).toBe(Number.POSITIVE_INFINITY);
  });

  it('layers the preset under explicit fields', () => {
    const settings = resolveGuardSettings({ guardPreset: 'gemini-free-tier', limits: { perMinute: 15 }, retry: { maxAttempts: 5 }, queue: undefined });
    expect(settings.preset).toBe('gemini-free-tier');
    expect(settings.limits.perMinute).toBe(15);
    expect(settings.limits.minDelayMs).toBe(geminiFreeTierSettings.limits.minDelayMs);
    expect(settings.limits.perDay).toBe(250);
    expect(settings.retry).toEqual({ ...geminiFreeTierSettings.retry, maxAttempts: 5 });
    expect(settings.keyStrategy).toBe('least-used');
  });

  it('takes the key strategy given beside the settings', () => {
    expect(resolveGuardSettings({ keyStrategy: 'random' }, 'weighted').keyStrategy).toBe('weighted');
    expect(resolveGuardSettings({ keyStrategy: 'random' }).keyStrategy).toBe('random');
  });

  it('rejects settings the schema does not accept', () => {
    expect(() => resolveGuardSettings({ limits: { maxConcurrent: 0 } })).toThrow(/Invalid guard settings/);
    expect(() => resolveGuardSettings({ retry: { attempts: 3 } })).toThrow(/Invalid guard settings/);
  });

  it("overrides a key's limits field by field", () => {
    const settings = resolveGuardSettings({ limits: { perMinute: 10, minDelayMs: 100 } });
    const limits = resolveKeyLimits(settings, { perMinute: 20 });
    expect(limits).toMatchObject({ perMinute: 20, minDelayMs: 100, maxConcurrent: 16 });
  });
});
