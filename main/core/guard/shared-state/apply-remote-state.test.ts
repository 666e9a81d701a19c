import { describe, expect, it } from 'vitest';
import { resolveGuardSettings } from '../guard-settings.ts';
import { KeyRuntime } from '../key-runtime.ts';
import { limitArguments, logRetention, parseScopeState } from './admission-arguments.ts';
import { applyRemoteKeyState } from './apply-remote-state.ts';
import type { RemoteScopeState } from './guard-state-store.ts';
import { scopeKeys, secretFingerprint } from './redis-keys.ts';

const settings = resolveGuardSettings({ limits: { perMinute: 10, burst: 2, minDelayMs: 500 } }, undefined);

function key(): KeyRuntime {
  return new KeyRuntime('p', { id: 'a', secret: 'fake-test-key-not-real-a', enabled: true }, settings, () => {});
}

function remote(ref: KeyRuntime, fields: Partial<RemoteScopeState> = {}): RemoteScopeState {
  return { ref: ref.scopeRef(), exhausted: [], inFlight: 0, sends: { minute: 0, hour: 0, day: 0 }, tokensLastMinute: 0, ...fields };
}

describe('what other instances decided, folded into this one', () => {
  it('takes a remote disable, keeps the later cooling, and clears what vanished from Redis (a reset elsewhere)', () => {
    const runtime = key();
    runtime.coolingUntil = 5_000;
    applyRemoteKeyState(runtime, remote(runtime, { disabledReason: '401 auth_failed: bad key', coolingUntil: 9_000, coolingReason: '429', exhausted: [{ model: 'm', until: 7_000, reason: 'quota' }] }));
    expect(runtime.disabledReason).toBe('401 auth_failed: bad key');
    expect(runtime.coolingUntil).toBe(9_000);
    expect(runtime.exhausted.get('m')?.until).toBe(7_000);
    applyRemoteKeyState(runtime, remote(runtime));
    expect(runtime.disabledReason).toBeUndefined();
    expect(runtime.coolingUntil).toBe(0);
    expect(runtime.exhausted.size).toBe(0);
  });

  it('never shortens a cooling this instance decided and Redis has not seen yet', () => {
    const runtime = key();
    runtime.coolingUntil = 20_000;
    applyRemoteKeyState(runtime, remote(runtime));
    expect(runtime.coolingUntil).toBe(20_000);
    applyRemoteKeyState(runtime, remote(runtime, { coolingUntil: 10_000 }));
    expect(runtime.coolingUntil).toBe(20_000);
  });
});

describe('the admission script arguments', () => {
  it('passes each limit, -1 for none, and the pacing interval', () => {
    expect(limitArguments(settings.limits)).toEqual([16, 500, 2, 10, -1, -1, -1]);
    expect(logRetention(settings.limits)).toBe(60_000);
    expect(logRetention(resolveGuardSettings({ limits: { perDay: 5 } }, undefined).limits)).toBe(86_400_000);
    expect(logRetention(resolveGuardSettings({}, undefined).limits)).toBe(0);
  });

  it('reads a scope back from the flattened hash', () => {
    const runtime = key();
    const state = parseScopeState(runtime.scopeRef(), [['disabled', 'why', 'coolingUntil', '123', 'coolingReason', '429', 'exhausted:gemini-pro', '999|daily quota', 'paceDue', '5'], 2, 3, 4, 5, 60]);
    expect(state).toMatchObject({ disabledReason: 'why', coolingUntil: 123, coolingReason: '429', inFlight: 2, sends: { minute: 3, hour: 4, day: 5 }, tokensLastMinute: 60 });
    expect(state.exhausted).toEqual([{ model: 'gemini-pro', until: 999, reason: 'daily quota' }]);
  });
});

describe('Redis key names', () => {
  it('carry the prefix as a hash tag and a fingerprint of the secret, never the secret', () => {
    const names = scopeKeys('team', key().scopeRef());
    expect(names.state).toMatch(/^\{team\}:key:p:a:[0-9a-f]{16}:state$/);
    expect(JSON.stringify(names)).not.toContain('fake-test-key-not-real-a');
    expect(secretFingerprint('fake-one')).not.toBe(secretFingerprint('fake-two'));
    expect(scopeKeys('team', { providerId: 'p/x', limits: settings.providerLimits }).log).toBe('{team}:provider:p%2Fx:log');
  });
});
