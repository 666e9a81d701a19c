import type { GuardEvent } from '../../core/guard/guard-events.ts';
import { describeWait } from './describe-wait.ts';

/** A desktop notification as data; the shell shows it with Electron's Notification. */
export interface DesktopNotice {
  title: string;
  body: string;
  /** Same key = same situation; used to keep a flapping key from flooding the screen. */
  key: string;
}

export type ProviderNames = (providerId: string) => string;

/**
 * The guard events a person should hear about right away: a key that stopped working (401/403, revoked, out of
 * credit) and a breaker that opened. Cooling keys and full queues show in the icon and menu instead; they come
 * and go too often for notifications.
 */
export function noticeForGuardEvent(event: GuardEvent, providerName: ProviderNames, now: number): DesktopNotice | undefined {
  const provider = providerName(event.providerId);
  switch (event.type) {
    case 'key-disabled':
      return {
        key: `key-disabled:${event.providerId}:${event.keyId}`,
        title: `${provider}: a key stopped working`,
        body: `Key ${event.key} was taken out of service (${event.reason}). Switchyard uses the other keys; check this one under Providers.`,
      };
    case 'breaker-opened':
      if (event.keyId !== undefined) {
        return {
          key: `breaker-opened:${event.providerId}:${event.keyId}`,
          title: `${provider}: a key keeps failing`,
          body: `Key ${event.keyId} is paused after repeated errors; Switchyard tries it again ${describeWait(event.until, now)}.`,
        };
      }
      return {
        key: `breaker-opened:${event.providerId}`,
        title: `${provider} keeps failing`,
        body: `Requests to ${provider} are paused after repeated errors and tried again ${describeWait(event.until, now)}. Combos fall back to their next target meanwhile.`,
      };
    default:
      return undefined;
  }
}

/** A signed-in account whose vendor refused its sign-in: only signing in again helps, so say where. */
export function needsSignInNotice(event: { accountId: string; providerId: string; label: string; reason: string }, providerName: ProviderNames): DesktopNotice {
  const provider = providerName(event.providerId);
  return {
    key: `needs-sign-in:${event.accountId}`,
    title: `${provider}: ${event.label} must sign in again`,
    body: `The vendor no longer accepts this account's sign-in (${event.reason}). Other accounts and keys keep serving; sign in again under Providers.`,
  };
}

export function comboSwitchedNotice(combo: string | undefined): DesktopNotice {
  return combo === undefined
    ? { key: 'combo', title: 'No active combo', body: 'Clients now name the provider and model themselves (provider/model).' }
    : { key: 'combo', title: `Combo "${combo}" is active`, body: 'Requests for plain model names now go through this combo, starting now.' };
}

/**
 * Lets the same notice through once per window. Keeps at most `capacity` keys so a long session cannot grow it
 * without bound (the oldest entries go first).
 */
export class NoticeThrottle {
  readonly #windowMs: number;
  readonly #capacity: number;
  readonly #lastShown = new Map<string, number>();

  constructor(windowMs = 10 * 60_000, capacity = 200) {
    this.#windowMs = windowMs;
    this.#capacity = capacity;
  }

  admit(key: string, now: number): boolean {
    const last = this.#lastShown.get(key);
    if (last !== undefined && now - last < this.#windowMs) return false;
    this.#lastShown.delete(key);
    this.#lastShown.set(key, now);
    while (this.#lastShown.size > this.#capacity) this.#lastShown.delete(this.#lastShown.keys().next().value!);
    return true;
  }
}
