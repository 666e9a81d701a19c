import type { Clock } from '../clock.ts';
import type { GuardEventHub } from '../guard-events.ts';
import type { ProviderRuntime } from '../provider-runtime.ts';
import { applyRemoteStates } from './apply-remote-state.ts';
import type { GuardStateStore, ScopeRef } from './guard-state-store.ts';

/**
 * Connects a guard to its state store: the store learns which scopes to read back and where the results go, every
 * decision the guard announces (key disabled, cooling, exhausted, restored; breaker opened, closed) is written to
 * the store for the other instances, and a change of sharing becomes a guard event for the tray and the dashboard.
 */
export function attachSharedState(store: GuardStateStore, providers: ReadonlyMap<string, ProviderRuntime>, events: GuardEventHub, clock: Clock): void {
  store.attach({
    scopes: () => [...providers.values()].flatMap((provider): ScopeRef[] => [provider.scopeRef(), ...provider.keys.map((key) => key.scopeRef())]),
    disabledKeys: () =>
      [...providers.values()].flatMap((provider) =>
        provider.keys.flatMap((key) => (key.disabledReason === undefined ? [] : [{ scope: key.scopeRef(), reason: key.disabledReason }])),
      ),
    applyRemote: (states) => applyRemoteStates(providers, states),
    statusChanged: (status) => {
      events.emit({ type: 'shared-state-changed', at: clock.now(), providerId: '', ...status });
      // Back to local: what other instances held says nothing about this instance's own limits any more.
      if (status.mode === 'local') for (const provider of providers.values()) provider.queue.pump();
    },
  });
  events.subscribe((event) => {
    if (event.type === 'queue-full' || event.type === 'shared-state-changed' || event.type === 'breaker-half-open') return;
    const provider = providers.get(event.providerId);
    if (!provider) return;
    const keyId = event.keyId;
    if (keyId === undefined) {
      store.recordEvent(event, provider.scopeRef());
      return;
    }
    const key = provider.key(keyId);
    if (key) store.recordEvent(event, key.scopeRef());
  });
}
