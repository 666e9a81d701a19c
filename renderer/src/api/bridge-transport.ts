import type { SwitchyardBridge } from '../../../shared/api-contract.ts';
import { bridgeGlobalName } from '../../../shared/api-contract.ts';
import type { ApiTransport } from './transport.ts';

/** The preload's bridge, when the page runs inside the desktop app. */
export function findBridge(): SwitchyardBridge | undefined {
  const candidate = (window as unknown as Record<string, unknown>)[bridgeGlobalName] as SwitchyardBridge | undefined;
  return candidate && typeof candidate.invoke === 'function' && typeof candidate.on === 'function' ? candidate : undefined;
}

export function bridgeTransport(bridge: SwitchyardBridge): ApiTransport {
  return {
    mode: 'desktop',
    invoke: (channel, args) => bridge.invoke(channel, args),
    on: (event, listener) => bridge.on(event, listener),
  };
}
