import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../shared/config/config-schema.ts';
import type { SwitchyardConfigInput } from '../../../shared/config/config-schema.ts';
import { guardSnapshot, keySnapshot, providerSnapshot } from '../../../test/app/guard-snapshot-builders.ts';
import type { ServingStatus } from '../lifecycle/serving-status.ts';
import type { TrayInput } from './tray-state.ts';
import { deriveTrayState, readGuardSnapshot } from './tray-state.ts';

const now = 1_000_000;
const serving: ServingStatus = { state: 'serving', url: 'http://127.0.0.1:8787' };

function config(input: SwitchyardConfigInput = {}) {
  return configSchema.parse(input);
}

const twoProviders = config({
  providers: [
    { id: 'gemini', type: 'gemini', keys: [{ id: 'k1', secret: { env: 'A' } }, { id: 'k2', secret: { env: 'B' } }] },
    { id: 'claude', type: 'anthropic', name: 'Anthropic', keys: [{ id: 'main', secret: { env: 'C' } }] },
  ],
  combos: [{ name: 'fast', targets: ['gemini/gemini-2.5-flash'] }, { name: 'smart', targets: ['claude/claude-sonnet-4-5'] }],
  activeCombo: 'fast',
});

function input(overrides: Partial<TrayInput> = {}): TrayInput {
  return {
    serving,
    config: twoProviders,
    guard: guardSnapshot([providerSnapshot('gemini', [keySnapshot('k1'), keySnapshot('k2')]), providerSnapshot('claude', [keySnapshot('main')])]),
    clientKeyAvailable: true,
    launchAtLogin: { supported: true, enabled: false },
    now,
    ...overrides,
  };
}

describe('deriveTrayState', () => {
  it('is healthy when serving and every key is ready', () => {
    const state = deriveTrayState(input());
    expect(state.mood).toBe('healthy');
    expect(state.headline).toBe('Serving, all providers ready');
    expect(state.endpoint).toBe('http://127.0.0.1:8787');
    expect(state.problems).toEqual([]);
    expect(state.providers).toEqual([
      { id: 'gemini', name: 'gemini', health: 'healthy', detail: '2 of 2 keys ready' },
      { id: 'claude', name: 'Anthropic', health: 'healthy', detail: '1 of 1 key ready' },
    ]);
    expect(state.combos).toEqual(['fast', 'smart']);
    expect(state.activeCombo).toBe('fast');
  });

  it('is degraded while a key cools down, and says when it comes back', () => {
    const state = deriveTrayState(
      input({
        guard: guardSnapshot([
          providerSnapshot('gemini', [keySnapshot('k1', { state: 'cooling', coolingUntil: now + 42_000, coolingReason: '429' }), keySnapshot('k2')]),
          providerSnapshot('claude', [keySnapshot('main')]),
        ]),
      }),
    );
    expect(state.mood).toBe('degraded');
    expect(state.problems).toEqual(['gemini: key k1 (…abcd) cooling down, back in 42 s']);
    expect(state.headline).toBe('Serving with problems: gemini: key k1 (…abcd) cooling down, back in 42 s');
    expect(state.providers[0]).toMatchObject({ health: 'degraded', detail: '1 of 2 keys ready' });
  });

  it('is degraded when a provider breaker is open, and marks that provider down', () => {
    const state = deriveTrayState(
      input({
        guard: guardSnapshot([
          providerSnapshot('gemini', [keySnapshot('k1'), keySnapshot('k2')]),
          providerSnapshot('claude', [keySnapshot('main')], { breaker: { state: 'open', recentFailures: 5, openUntil: now + 30_000 } }),
        ]),
      }),
    );
    expect(state.mood).toBe('degraded');
    expect(state.providers[1]).toEqual({ id: 'claude', name: 'Anthropic', health: 'down', detail: '1 of 1 key ready · failing, next try in 30 s' });
    expect(state.problems).toEqual(['Anthropic: failing, requests paused, next try in 30 s']);
  });

  it('is degraded while requests queue, and counts the load', () => {
    const state = deriveTrayState(
      input({
        guard: guardSnapshot([
          providerSnapshot('gemini', [keySnapshot('k1'), keySnapshot('k2')], { queueDepth: 3, inFlight: 2 }),
          providerSnapshot('claude', [keySnapshot('main')], { inFlight: 1 }),
        ]),
      }),
    );
    expect(state.mood).toBe('degraded');
    expect(state.load).toEqual({ inFlight: 3, waiting: 3 });
    expect(state.problems).toEqual(['gemini: 3 requests waiting']);
    expect(state.providers[0]!.detail).toBe('2 of 2 keys ready · 3 waiting · 2 in flight');
    expect(state.providers[1]).toMatchObject({ health: 'healthy', detail: '1 of 1 key ready · 1 in flight' });
  });

  it('marks a provider down when every key is unusable, and names each key', () => {
    const state = deriveTrayState(
      input({
        guard: guardSnapshot([
          providerSnapshot('gemini', [
            keySnapshot('k1', { state: 'disabled', disabledReason: '401 invalid key' }),
            keySnapshot('k2', { state: 'exhausted', exhaustedUntil: now + 3 * 3_600_000 }),
          ]),
          providerSnapshot('claude', [keySnapshot('main', { breaker: { state: 'open', recentFailures: 3, openUntil: now + 5_000 } })]),
        ]),
      }),
    );
    expect(state.providers.map((provider) => provider.health)).toEqual(['down', 'down']);
    expect(state.problems).toEqual([
      'gemini: key k1 (…abcd) disabled (401 invalid key)',
      'gemini: key k2 (…abcd) out of quota, back in 3 h',
      'Anthropic: key main (…abcd) failing, next try in 5 s',
    ]);
    expect(state.headline).toBe('Serving with problems: gemini: key k1 (…abcd) disabled (401 invalid key) (+2 more)');
  });

  it('does not count keys switched off in the config as problems', () => {
    const state = deriveTrayState(
      input({ guard: guardSnapshot([providerSnapshot('gemini', [keySnapshot('k1'), keySnapshot('k2', { enabled: false, state: 'disabled' })]), providerSnapshot('claude', [keySnapshot('main')])]) }),
    );
    expect(state.mood).toBe('healthy');
    expect(state.providers[0]!.detail).toBe('1 of 1 key ready');
  });

  it('shows a provider switched off in the config as off', () => {
    const withOff = config({ providers: [{ id: 'gemini', type: 'gemini', enabled: false, keys: [] }, { id: 'local', type: 'ollama' }] });
    const state = deriveTrayState(input({ config: withOff, guard: guardSnapshot([providerSnapshot('local', [keySnapshot('no-key', { last4: '', label: 'no-key' })])]) }));
    expect(state.providers).toEqual([
      { id: 'gemini', name: 'gemini', health: 'off', detail: 'switched off' },
      { id: 'local', name: 'local', health: 'healthy', detail: 'ready' },
    ]);
    expect(state.mood).toBe('healthy');
  });

  it('is degraded when every provider is switched off', () => {
    const allOff = config({ providers: [{ id: 'gemini', type: 'gemini', enabled: false }] });
    expect(deriveTrayState(input({ config: allOff, guard: guardSnapshot([]) })).problems).toEqual(['every provider is switched off']);
  });

  it('adds problems outside the guard, such as an unreachable keychain', () => {
    const state = deriveTrayState(input({ appProblems: ['the OS keychain cannot be reached'] }));
    expect(state.mood).toBe('degraded');
    expect(state.problems[0]).toBe('the OS keychain cannot be reached');
  });

  it('works from the config alone when the guard gives no snapshot it knows', () => {
    const state = deriveTrayState(input({ guard: { providers: [{ id: 'gemini', keys: [{ id: 'k1', last4: 'abcd' }] }] } }));
    expect(state.mood).toBe('healthy');
    expect(state.providers[0]).toEqual({ id: 'gemini', name: 'gemini', health: 'healthy', detail: '2 keys' });
    expect(state.load).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('says so when there are no providers yet', () => {
    const state = deriveTrayState(input({ config: config(), guard: guardSnapshot([]) }));
    expect(state).toMatchObject({ mood: 'healthy', headline: 'Serving, but no providers yet', providers: [], combos: [] });
    expect(state.activeCombo).toBeUndefined();
  });

  it.each<[ServingStatus, string, string]>([
    [{ state: 'starting' }, 'starting', 'Starting…'],
    [{ state: 'paused' }, 'paused', 'Paused: tools get no answers'],
    [{ state: 'pausing' }, 'paused', 'Pausing…'],
    [{ state: 'stopping' }, 'paused', 'Stopping…'],
    [{ state: 'failed', message: 'Port 8787 is already in use.\nmore detail' }, 'failed', 'Not serving: Port 8787 is already in use.'],
  ])('maps %j to the %s mood', (status, mood, headline) => {
    const state = deriveTrayState(input({ serving: status, guard: guardSnapshot([providerSnapshot('gemini', [keySnapshot('k1', { state: 'cooling', coolingUntil: now + 1 })])]) }));
    expect(state.mood).toBe(mood);
    expect(state.headline).toBe(headline);
    expect(state.endpoint).toBeUndefined();
    expect(state.load).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('keeps the whole failure message as the only problem', () => {
    const state = deriveTrayState(input({ serving: { state: 'failed', message: 'A setting refers to a secret that cannot be read' } }));
    expect(state.problems).toEqual(['A setting refers to a secret that cannot be read']);
  });
});

describe('readGuardSnapshot', () => {
  it('accepts the guard snapshot and rejects other shapes', () => {
    const snapshot = guardSnapshot([providerSnapshot('gemini', [keySnapshot('k1')])]);
    expect(readGuardSnapshot(snapshot)).toBe(snapshot);
    expect(readGuardSnapshot(undefined)).toBeUndefined();
    expect(readGuardSnapshot({ providers: [] })).toBeUndefined();
    expect(readGuardSnapshot({ takenAt: 1, providers: [{ id: 'x' }] })).toBeUndefined();
  });
});
