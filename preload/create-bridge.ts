import type { ApiChannel, ApiEvent, ApiResponse, SwitchyardBridge } from '../shared/api-contract.ts';
import { ipcChannelOf, ipcEventChannel, isApiChannel, isApiEvent } from '../shared/api-contract.ts';

/** The part of Electron's ipcRenderer the bridge uses. */
export interface BridgeIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, message: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, message: unknown) => void): unknown;
}

/**
 * `window.switchyard`: exactly the contract (shared/api-contract.ts), nothing of Electron. Only contract channels can
 * be invoked, so the page can never reach another IPC channel through it, and listeners receive the event payload
 * alone, never Electron's event object (which would hand the page ipcRenderer itself).
 */
export function createBridge(ipc: BridgeIpc): SwitchyardBridge {
  const listeners = new Map<ApiEvent, Set<(payload: unknown) => void>>();
  let subscribed = false;
  const onMessage = (_event: unknown, message: unknown) => {
    const { event, payload } = (message ?? {}) as { event?: unknown; payload?: unknown };
    if (!isApiEvent(event)) return;
    for (const listener of listeners.get(event) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        console.error(`switchyard: a listener for "${event}" failed`, error);
      }
    }
  };

  const bridge: SwitchyardBridge = {
    invoke<C extends ApiChannel>(channel: C, args: unknown): Promise<ApiResponse<C>> {
      if (!isApiChannel(channel)) {
        return Promise.resolve({ ok: false, error: { code: 'unknown_channel', message: `There is no API channel "${String(channel)}".` } });
      }
      return ipc.invoke(ipcChannelOf(channel), args ?? {}) as Promise<ApiResponse<C>>;
    },
    on(event, listener) {
      if (!isApiEvent(event)) throw new TypeError(`There is no API event "${String(event)}".`);
      if (typeof listener !== 'function') throw new TypeError('A listener must be a function.');
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const entry = listener as (payload: unknown) => void;
      set.add(entry);
      if (!subscribed) {
        ipc.on(ipcEventChannel, onMessage);
        subscribed = true;
      }
      return () => {
        set.delete(entry);
        if ([...listeners.values()].every((remaining) => remaining.size === 0) && subscribed) {
          ipc.removeListener(ipcEventChannel, onMessage);
          subscribed = false;
        }
      };
    },
  };
  return Object.freeze(bridge);
}
