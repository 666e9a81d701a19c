import { describe, expect, it } from 'vitest';
import {
  apiChannels,
  apiContract,
  apiEvents,
  checkArgs,
  checkEvent,
  checkResult,
  httpRouteOf,
  ipcChannelOf,
  isApiChannel,
} from './api-contract.ts';

describe('api contract', () => {
  it('lists every channel once, each with a distinct HTTP route and IPC channel', () => {
    expect(apiChannels.length).toBeGreaterThan(10);
    const routes = new Set(apiChannels.map((channel) => `${httpRouteOf(channel).method} ${httpRouteOf(channel).path}`));
    expect(routes.size).toBe(apiChannels.length);
    expect(new Set(apiChannels.map(ipcChannelOf)).size).toBe(apiChannels.length);
    expect(httpRouteOf('status')).toEqual({ method: 'GET', path: '/api/status' });
    expect(httpRouteOf('providers.add')).toEqual({ method: 'POST', path: '/api/providers/add' });
    expect(apiEvents).toContain('guard.snapshot');
  });

  it('GET channels take no arguments, so they can be plain HTTP GETs', () => {
    for (const channel of apiChannels) {
      if (apiContract[channel].method !== 'GET') continue;
      expect(checkArgs(channel, undefined).ok, channel).toBe(true);
      expect(checkArgs(channel, { extra: 1 }).ok, channel).toBe(false);
    }
  });

  it('rejects bad input with one clear message naming each field', () => {
    const checked = checkArgs('providers.add', { id: 'has space', type: 'nope', keys: [{ secret: 'two keys' }] });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.error.code).toBe('invalid_arguments');
    expect(checked.error.message).toMatch(/^providers\.add: /);
    expect(checked.error.issues?.map((issue) => issue.path)).toEqual(['id', 'type', 'keys[0].secret']);
    expect(checked.error.message).toContain('keys[0].secret: a key has no spaces; paste one key per line');
  });

  it('trims pasted keys and fills defaults', () => {
    const checked = checkArgs('providers.add', { id: 'gemini', type: 'gemini', keys: [{ secret: '  AIzaSyExample1234\n' }] });
    expect(checked).toEqual({ ok: true, value: { id: 'gemini', type: 'gemini', models: [], keys: [{ secret: 'AIzaSyExample1234' }] } });
  });

  it('refuses unknown fields, unknown channels and out-of-range settings', () => {
    expect(checkArgs('keys.update', { providerId: 'a', keyId: 'b', secret: 'sneaky-value' }).ok).toBe(false);
    const unknown = checkArgs('nope' as 'status', {});
    expect(unknown.ok ? undefined : unknown.error.code).toBe('unknown_channel');
    const port = checkArgs('settings.update', { port: 80 });
    expect(port.ok ? undefined : port.error.message).toBe('settings.update: port: pick a port from 1024 to 65535');
  });

  it('refuses a result that carries a field the view does not have (a secret cannot slip through)', () => {
    const view = { id: 'p', type: 'openai', name: null, baseUrl: null, enabled: true, models: [], needsKey: true, health: 'healthy' };
    const key = { id: 'k', label: null, last4: 'abcd', source: 'keychain', enabled: true, status: 'active', detail: null, until: null };
    expect(checkResult('keys.add', { ...view, keys: [key] }).ok).toBe(true);
    const leaked = checkResult('keys.add', { ...view, keys: [{ ...key, secret: 'sk-live-whole-secret' }] });
    expect(leaked.ok).toBe(false);
    if (!leaked.ok) {
      expect(leaked.error.code).toBe('internal');
      expect(leaked.error.message).not.toContain('sk-live-whole-secret');
    }
    expect(checkResult('keys.add', { ...view, keys: [{ ...key, last4: 'abcdef' }] }).ok).toBe(false);
  });

  it('checks event payloads', () => {
    expect(checkEvent('config.changed', { at: 1 }).ok).toBe(true);
    expect(checkEvent('config.changed', {}).ok).toBe(false);
    expect(isApiChannel('toString')).toBe(false);
  });
});
