import type { KeyRuntime } from '../key-runtime.ts';
import type { ProviderRuntime } from '../provider-runtime.ts';
import type { RemoteScopeState } from './guard-state-store.ts';

/**
 * Folds what all instances decided about a key into this instance's view of it, so key choice skips a key another
 * instance disabled and the dashboard shows cluster-wide key states. Writes reach Redis on the same connection
 * before a read-back, so the shared state is the truth for decisions: a disabled key is exactly as Redis says; a
 * cooling or exhaustion goes only when it vanished from Redis (a reset on some instance), never because this
 * instance's own decision has not arrived yet.
 */
export function applyRemoteKeyState(key: KeyRuntime, state: RemoteScopeState): void {
  const previous = key.remote;
  key.remote = state;
  key.disabledReason = state.disabledReason;
  if (state.coolingUntil !== undefined) {
    if (state.coolingUntil > key.coolingUntil) {
      key.coolingUntil = state.coolingUntil;
      key.coolingReason = state.coolingReason ?? '';
    }
  } else if (previous?.coolingUntil !== undefined) {
    key.coolingUntil = 0;
    key.coolingReason = '';
  }
  for (const exhaustion of state.exhausted) {
    const local = key.exhausted.get(exhaustion.model);
    if (!local || local.until < exhaustion.until) key.exhausted.set(exhaustion.model, { until: exhaustion.until, reason: exhaustion.reason });
  }
  for (const gone of previous?.exhausted ?? []) {
    if (!state.exhausted.some((exhaustion) => exhaustion.model === gone.model)) key.exhausted.delete(gone.model);
  }
}

/** Applies one read-back to the providers this guard knows (scopes of removed providers or keys are ignored). */
export function applyRemoteStates(providers: ReadonlyMap<string, ProviderRuntime>, states: RemoteScopeState[]): void {
  for (const state of states) {
    const provider = providers.get(state.ref.providerId);
    if (!provider) continue;
    if (state.ref.keyId === undefined) {
      provider.remote = state;
      continue;
    }
    const key = provider.key(state.ref.keyId);
    // A key whose secret changed since the read started belongs to another fingerprint.
    if (key && key.secret === state.ref.secret) applyRemoteKeyState(key, state);
  }
  for (const provider of providers.values()) provider.queue.pump();
}
