/**
 * Time as the guard sees it. Every wait in the guard (queue timeouts, pacing, cooldowns, backoff) goes through this
 * interface, so unit tests drive time by hand (a manual clock in test/helpers) and never depend on the wall clock.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Epoch milliseconds. Reset times from providers (resetAt) are epoch based, so the guard uses the same scale. */
  now(): number;
  /** Calls `callback` once, no earlier than `delayMs` from now. */
  setTimer(delayMs: number, callback: () => void): TimerHandle;
  /**
   * How coarse `now()` is: the true instant lies in [now(), now() + granularityMs). The pacer adds it to the moment
   * a send went out, so the spacing holds in true time, not only on the clock. 0 (or absent) for a manual clock.
   */
  readonly granularityMs?: number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  // Date.now() truncates to whole milliseconds.
  granularityMs: 1,
  setTimer(delayMs, callback) {
    const timer = setTimeout(callback, Math.max(0, Math.ceil(delayMs)));
    // A waiting guard must not keep a finished process alive; the HTTP server is what keeps the engine running.
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

/** Resolves after `delayMs` on `clock`; rejects with the signal's reason as soon as `signal` aborts. */
export function sleep(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (delayMs <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      timer.cancel();
      reject(signal?.reason);
    };
    const timer = clock.setTimer(delayMs, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
