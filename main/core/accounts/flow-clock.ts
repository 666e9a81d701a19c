import type { Clock } from '../guard/clock.ts';

/**
 * Time for sign-in flows. Unlike the guard's clock, its timers keep the process alive: `switchyard accounts add`
 * waits on nothing else while it polls a device code or holds the callback listener open.
 */
export const flowClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, callback) {
    const timer = setTimeout(callback, Math.max(0, Math.ceil(delayMs)));
    return { cancel: () => clearTimeout(timer) };
  },
};
