/**
 * What the guard tells the tray and the dashboard as it happens. Keys appear as id plus `key` (id and last four
 * characters, see key-label.ts), never whole.
 */
export type GuardEvent =
  | { type: 'key-disabled'; at: number; providerId: string; keyId: string; key: string; reason: string }
  | { type: 'key-cooling'; at: number; providerId: string; keyId: string; key: string; until: number; reason: string }
  | { type: 'key-exhausted'; at: number; providerId: string; keyId: string; key: string; model: string; until: number; reason: string }
  | { type: 'key-restored'; at: number; providerId: string; keyId: string; key: string }
  | { type: 'breaker-opened'; at: number; providerId: string; keyId?: string; until: number }
  | { type: 'breaker-half-open'; at: number; providerId: string; keyId?: string }
  | { type: 'breaker-closed'; at: number; providerId: string; keyId?: string }
  | { type: 'queue-full'; at: number; providerId: string; maxLength: number }
  /** Sharing the guard state started, stopped or resumed (docs/cluster.md). `providerId` is '': it concerns every provider. */
  | { type: 'shared-state-changed'; at: number; providerId: ''; mode: 'shared' | 'local'; instances: number; warning?: string };

export type GuardEventType = GuardEvent['type'];
export type GuardEventListener = (event: GuardEvent) => void;

/** Fan-out to listeners; a listener that throws is not allowed to break the request path. */
export class GuardEventHub {
  readonly #listeners = new Set<GuardEventListener>();

  subscribe(listener: GuardEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: GuardEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // The request path must not fail because a dashboard listener did.
      }
    }
  }
}
