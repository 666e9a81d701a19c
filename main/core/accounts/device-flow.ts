import type { Clock } from '../guard/clock.ts';
import { sleep } from '../guard/clock.ts';
import { flowClock } from './flow-clock.ts';
import { SignInError } from './sign-in-error.ts';

/** What one poll of a device-code token endpoint said. */
export type DevicePoll<T> =
  | { kind: 'token'; value: T }
  | { kind: 'pending' }
  /** Poll more slowly; `intervalMs` when the vendor named the new interval. */
  | { kind: 'slow-down'; intervalMs?: number }
  | { kind: 'denied'; message?: string }
  | { kind: 'expired'; message?: string };

export interface DevicePollOptions<T> {
  poll(signal: AbortSignal): Promise<DevicePoll<T>>;
  intervalMs: number;
  /** Epoch ms after which the code is dead. */
  expiresAt: number;
  signal: AbortSignal;
  /** For messages: "GitHub", "ChatGPT". */
  vendor: string;
  clock?: Clock;
}

/** RFC 8628 says a slow_down adds 5 seconds to the interval, for the rest of the flow. */
export const slowDownStepMs = 5_000;

/**
 * Polls a device-code grant until the person approved it (RFC 8628 §3.4-3.5): waits `interval` between polls,
 * adds 5 s for good on every `slow_down` (or takes the vendor's new interval when it is longer), and ends with a
 * clear SignInError when the person denied it, the code expired, or the flow was cancelled.
 */
export async function pollDeviceGrant<T>(options: DevicePollOptions<T>): Promise<T> {
  const clock = options.clock ?? flowClock;
  // A vendor asking for no wait at all still gets a short one, so a bad answer cannot turn into a busy loop.
  let interval = Math.max(100, options.intervalMs);
  for (;;) {
    try {
      await sleep(clock, interval, options.signal);
    } catch {
      throw new SignInError('cancelled', 'The sign-in was cancelled. Nothing was stored.');
    }
    if (clock.now() >= options.expiresAt) {
      throw new SignInError('expired', `The ${options.vendor} code expired before it was approved. Nothing was stored; start again for a new code.`);
    }
    let answer: DevicePoll<T>;
    try {
      answer = await options.poll(options.signal);
    } catch (error) {
      if (options.signal.aborted) throw new SignInError('cancelled', 'The sign-in was cancelled. Nothing was stored.');
      throw error;
    }
    switch (answer.kind) {
      case 'token':
        return answer.value;
      case 'pending':
        break;
      case 'slow-down':
        interval = Math.max(interval + slowDownStepMs, answer.intervalMs ?? 0);
        break;
      case 'denied':
        throw new SignInError('denied', `The sign-in was denied on ${options.vendor}${answer.message ? ` (${answer.message})` : ''}. Nothing was stored.`);
      case 'expired':
        throw new SignInError('expired', `The ${options.vendor} code expired before it was approved${answer.message ? ` (${answer.message})` : ''}. Nothing was stored; start again for a new code.`);
    }
  }
}
