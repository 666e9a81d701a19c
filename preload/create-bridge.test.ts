import { describe, expect, it } from 'vitest';
import { ipcEventChannel } from '../shared/api-contract.ts';
import type { BridgeIpc } from './create-bridge.ts';
import { createBridge } from './create-bridge.ts';

function fakeIpc() {
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Set<(event: unknown, message: unknown) => void>>();
  const ipc: BridgeIpc = {
    invoke: async (...args) => {
      invoked.push(args);
      return { ok: true, result: 'answer' };
    },
    on: (channel, listener) => void (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!).add(listener),
    removeListener: (channel, listener) => void listeners.get(channel)?.delete(listener),
  };
  const push = (message: unknown) => {
    for (const listener of listeners.get(ipcEventChannel) ?? []) listener({ sender: 'the ipcRenderer event' }, message);
  };
  return { ipc, invoked, listeners, push };
}

describe('createBridge', () => {
  it('invokes contract channels on their IPC channel', async () => {
    const { ipc, invoked } = fakeIpc();
    const bridge = createBridge(ipc);
    expect(await bridge.invoke('combos.activate', { name: 'fast' })).toEqual({ ok: true, result: 'answer' });
    expect(await bridge.invoke('status', undefined as never)).toEqual({ ok: true, result: 'answer' });
    expect(invoked).toEqual([
      ['switchyard:combos.activate', { name: 'fast' }],
      ['switchyard:status', {}],
    ]);
  });

  it('refuses names outside the contract without touching IPC', async () => {
    const { ipc, invoked } = fakeIpc();
    const bridge = createBridge(ipc);
    expect(await bridge.invoke('electron-store-get-data' as never, {} as never)).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await bridge.invoke('__proto__' as never, {} as never)).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(invoked).toEqual([]);
    expect(() => bridge.on('not-an-event' as never, () => {})).toThrow(TypeError);
  });

  it('delivers only the payload of known events, and unsubscribes from IPC when the last listener leaves', () => {
    const { ipc, listeners, push } = fakeIpc();
    const bridge = createBridge(ipc);
    const received: unknown[][] = [];
    const stopFirst = bridge.on('config.changed', (...args) => received.push(['first', ...args]));
    const stopSecond = bridge.on('status', (...args) => received.push(['second', ...args]));
    expect(listeners.get(ipcEventChannel)?.size).toBe(1);
    push({ event: 'config.changed', payload: { at: 1 } });
    push({ event: 'unknown', payload: {} });
    push('garbage');
    expect(received).toEqual([['first', { at: 1 }]]);
    stopFirst();
    expect(listeners.get(ipcEventChannel)?.size).toBe(1);
    stopSecond();
    expect(listeners.get(ipcEventChannel)?.size).toBe(0);
  });

  it('keeps delivering when one listener throws, and cannot be modified by the page', () => {
    const { ipc, push } = fakeIpc();
    const bridge = createBridge(ipc);
    const received: unknown[] = [];
    const originalError = console.error;
    console.error = () => {};
    try {
      bridge.on('config.changed', () => {
        throw new Error('listener bug');
      });
      bridge.on('config.changed', (payload) => received.push(payload));
      push({ event: 'config.changed', payload: { at: 2 } });
    } finally {
      console.error = originalError;
    }
    expect(received).toEqual([{ at: 2 }]);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
  });
});
