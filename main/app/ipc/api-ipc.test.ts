import { describe, expect, it, vi } from 'vitest';
import type { ApiResponse } from '../../../shared/api-contract.ts';
import { apiChannels, ipcChannelOf, ipcEventChannel } from '../../../shared/api-contract.ts';
import type { ApiDispatcher, ApiIpcOptions } from './api-ipc.ts';
import { answerApiCall, createEventPublisher, registerApiHandlers } from './api-ipc.ts';
import type { SenderEvent } from './trusted-sender.ts';
import { isTrustedSender, senderFacts } from './trusted-sender.ts';

const appEvent: SenderEvent = { sender: { id: 7 }, senderFrame: { url: 'switchyard://app/index.html#/providers', parent: null } };

function options(dispatch: ApiDispatcher, trusted = true): ApiIpcOptions & { logs: unknown[][] } {
  const logs: unknown[][] = [];
  return { dispatch, isTrusted: () => trusted, log: (...entry) => logs.push(entry), logs };
}

describe('isTrustedSender', () => {
  it('accepts only the app window, top-level, on the app origin', () => {
    expect(isTrustedSender(senderFacts(appEvent), 7)).toBe(true);
    expect(isTrustedSender(senderFacts(appEvent), undefined)).toBe(false);
    expect(isTrustedSender(senderFacts({ ...appEvent, sender: { id: 8 } }), 7)).toBe(false);
    expect(isTrustedSender(senderFacts({ ...appEvent, senderFrame: { url: 'switchyard://app/index.html', parent: {} } }), 7)).toBe(false);
    expect(isTrustedSender(senderFacts({ ...appEvent, senderFrame: { url: 'https://evil.example/', parent: null } }), 7)).toBe(false);
    expect(isTrustedSender(senderFacts({ ...appEvent, senderFrame: { url: 'file:///opt/Switchyard/index.html', parent: null } }), 7)).toBe(false);
    expect(isTrustedSender(senderFacts({ ...appEvent, senderFrame: null }), 7)).toBe(false);
  });
});

describe('answerApiCall', () => {
  it('passes a valid call to the dispatcher and returns its checked result', async () => {
    const dispatch = vi.fn(async () => ({ ok: true, result: { combos: [], activeCombo: null } }) as ApiResponse<'combos.list'>);
    const answer = await answerApiCall('combos.list', appEvent, [{}], options(dispatch as ApiDispatcher));
    expect(answer).toEqual({ ok: true, result: { combos: [], activeCombo: null } });
    expect(dispatch).toHaveBeenCalledWith('combos.list', {});
  });

  it('refuses a sender that is not the app window before validating or dispatching', async () => {
    const dispatch = vi.fn();
    const opts = options(dispatch as unknown as ApiDispatcher, false);
    const answer = await answerApiCall('keys.add', appEvent, [{ providerId: 'x', keys: [{ secret: 'sk-should-not-be-logged' }] }], opts);
    expect(answer).toEqual({ ok: false, error: { code: 'unauthorized', message: 'Only the Switchyard window may use this API.' } });
    expect(dispatch).not.toHaveBeenCalled();
    expect(JSON.stringify(opts.logs)).not.toContain('sk-should-not-be-logged');
  });

  it('refuses invalid arguments with the contract\'s issues, without dispatching', async () => {
    const dispatch = vi.fn();
    const answer = await answerApiCall('keys.add', appEvent, [{ providerId: 'gemini', keys: [{ secret: 'two keys' }] }], options(dispatch as unknown as ApiDispatcher));
    expect(answer.ok).toBe(false);
    expect(!answer.ok && answer.error.code).toBe('invalid_arguments');
    expect(!answer.ok && answer.error.issues?.[0]?.path).toBe('keys[0].secret');
    expect(dispatch).not.toHaveBeenCalled();
    expect(await answerApiCall('status', appEvent, [{}, {}], options(dispatch as unknown as ApiDispatcher))).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    expect(await answerApiCall('status', appEvent, [{ extra: 1 }], options(dispatch as unknown as ApiDispatcher))).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
  });

  it('passes refusals through and hides unexpected failures behind a generic message', async () => {
    const refusal = { ok: false, error: { code: 'not_found', message: 'There is no provider "x".' } } as const;
    expect(await answerApiCall('providers.remove', appEvent, [{ id: 'x' }], options((async () => refusal) as ApiDispatcher))).toEqual(refusal);
    const crashing = options((async () => {
      throw new Error('ENOENT /home/me/.config/Switchyard/settings.json');
    }) as ApiDispatcher);
    const answer = await answerApiCall('status', appEvent, [{}], crashing);
    expect(answer).toEqual({ ok: false, error: { code: 'internal', message: 'status failed inside Switchyard; the log has the details.' } });
    expect(crashing.logs[0]).toEqual(['error', 'api call failed', { channel: 'status', error: 'ENOENT /home/me/.config/Switchyard/settings.json' }]);
  });

  it('never sends a result the contract refuses (a secret in a view, say)', async () => {
    const leaky = (async () => ({ ok: true, result: { combos: [], activeCombo: null, secret: 'sk-live-abc' } })) as unknown as ApiDispatcher;
    const answer = await answerApiCall('combos.list', appEvent, [{}], options(leaky));
    expect(answer).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(answer)).not.toContain('sk-live-abc');
  });
});

describe('registerApiHandlers', () => {
  it('registers exactly one handler per contract channel, and removes them all', () => {
    const handlers = new Map<string, unknown>();
    const ipcMain = { handle: (channel: string, listener: unknown) => void handlers.set(channel, listener), removeHandler: (channel: string) => void handlers.delete(channel) };
    const unregister = registerApiHandlers(ipcMain, options((async () => ({ ok: true, result: {} })) as unknown as ApiDispatcher));
    expect([...handlers.keys()].sort()).toEqual(apiChannels.map(ipcChannelOf).sort());
    unregister();
    expect(handlers.size).toBe(0);
  });
});

describe('createEventPublisher', () => {
  it('sends contract events on the event channel and drops malformed ones', () => {
    const sent: unknown[][] = [];
    const logs: unknown[][] = [];
    const publish = createEventPublisher((...message) => sent.push(message), (...entry) => logs.push(entry));
    publish('config.changed', { at: 5 });
    publish('config.changed', { at: 'soon' } as unknown as { at: number });
    expect(sent).toEqual([[ipcEventChannel, { event: 'config.changed', payload: { at: 5 } }]]);
    expect(logs).toHaveLength(1);
  });
});
