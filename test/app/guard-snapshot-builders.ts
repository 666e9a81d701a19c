import type { GuardSnapshot, KeySnapshot, ProviderSnapshot } from '../../main/core/guard/guard-snapshot.ts';

/**
 * Builders for guard snapshots in tests of the tray's pure functions: a healthy default, overridden per case.
 */
export function keySnapshot(id: string, overrides: Partial<KeySnapshot> = {}): KeySnapshot {
  return {
    id,
    last4: 'abcd',
    label: `${id} (…abcd)`,
    state: 'active',
    enabled: true,
    exhausted: [],
    inFlight: 0,
    maxConcurrent: null,
    windows: [],
    breaker: { state: 'closed', recentFailures: 0 },
    requests: 0,
    errors: 0,
    rateLimited: 0,
    latencyP50Ms: null,
    weight: 1,
    ...overrides,
  };
}

export function providerSnapshot(id: string, keys: KeySnapshot[], overrides: Partial<ProviderSnapshot> = {}): ProviderSnapshot {
  return {
    id,
    preset: 'default',
    keyStrategy: 'round-robin',
    queueDepth: 0,
    inFlight: 0,
    dedupInFlight: 0,
    dedupCallers: 0,
    windows: [],
    breaker: { state: 'closed', recentFailures: 0 },
    requests: 0,
    errors: 0,
    rateLimited: 0,
    latencyP50Ms: null,
    keys,
    ...overrides,
  };
}

export function guardSnapshot(providers: ProviderSnapshot[], takenAt = 1_000_000): GuardSnapshot {
  return { takenAt, providers };
}
