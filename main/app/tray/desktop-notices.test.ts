import { describe, expect, it } from 'vitest';
import { comboSwitchedNotice, NoticeThrottle, needsSignInNotice, noticeForGuardEvent } from './desktop-notices.ts';

const names = (id: string) => (id === 'claude' ? 'Anthropic' : id);
const now = 5_000_000;

describe('desktop notices', () => {
  it('tells which account must sign in again and where, without any token', () => {
    const notice = needsSignInNotice({ accountId: 'copilot-octo', providerId: 'claude', label: 'octo', reason: 'GitHub refused the sign-in (401)' }, names);
    expect(notice).toEqual({
      key: 'needs-sign-in:copilot-octo',
      title: 'Anthropic: octo must sign in again',
      body: "The vendor no longer accepts this account's sign-in (GitHub refused the sign-in (401)). Other accounts and keys keep serving; sign in again under Providers.",
    });
  });

  it('tells about a disabled key with its label and reason, never the secret', () => {
    const notice = noticeForGuardEvent({ type: 'key-disabled', at: now, providerId: 'gemini', keyId: 'k2', key: 'k2 (…wxyz)', reason: '403 permission denied' }, names, now);
    expect(notice).toEqual({
      key: 'key-disabled:gemini:k2',
      title: 'gemini: a key stopped working',
      body: 'Key k2 (…wxyz) was taken out of service (403 permission denied). Switchyard uses the other keys; check this one under Providers.',
    });
  });

  it('tells about an open breaker, for a provider and for a key', () => {
    expect(noticeForGuardEvent({ type: 'breaker-opened', at: now, providerId: 'claude', until: now + 30_000 }, names, now)).toEqual({
      key: 'breaker-opened:claude',
      title: 'Anthropic keeps failing',
      body: 'Requests to Anthropic are paused after repeated errors and tried again in 30 s. Combos fall back to their next target meanwhile.',
    });
    expect(noticeForGuardEvent({ type: 'breaker-opened', at: now, providerId: 'gemini', keyId: 'k1', until: now + 120_000 }, names, now)).toMatchObject({
      key: 'breaker-opened:gemini:k1',
      title: 'gemini: a key keeps failing',
      body: 'Key k1 is paused after repeated errors; Switchyard tries it again in 2 min.',
    });
  });

  it('stays quiet for events the icon already shows', () => {
    expect(noticeForGuardEvent({ type: 'key-cooling', at: now, providerId: 'gemini', keyId: 'k1', key: 'k1', until: now + 1, reason: '429' }, names, now)).toBeUndefined();
    expect(noticeForGuardEvent({ type: 'breaker-closed', at: now, providerId: 'gemini' }, names, now)).toBeUndefined();
    expect(noticeForGuardEvent({ type: 'queue-full', at: now, providerId: 'gemini', maxLength: 10 }, names, now)).toBeUndefined();
  });

  it('confirms a combo switch', () => {
    expect(comboSwitchedNotice('fast').title).toBe('Combo "fast" is active');
    expect(comboSwitchedNotice(undefined).title).toBe('No active combo');
  });

  it('lets the same notice through once per window, and forgets old keys beyond its capacity', () => {
    const throttle = new NoticeThrottle(60_000, 2);
    expect(throttle.admit('a', 0)).toBe(true);
    expect(throttle.admit('a', 59_999)).toBe(false);
    expect(throttle.admit('b', 1)).toBe(true);
    expect(throttle.admit('a', 60_000)).toBe(true);
    expect(throttle.admit('c', 60_001)).toBe(true);
    // capacity 2: 'b' (the oldest) was forgotten, so it passes again inside its window.
    expect(throttle.admit('b', 60_002)).toBe(true);
  });
});
