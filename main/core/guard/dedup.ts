import type { ProxyError } from '../errors/proxy-error.ts';
import type { Clock } from './clock.ts';

interface InFlight {
  promise: Promise<unknown>;
  controller: AbortController;
  callers: number;
}

interface Recent {
  value: unknown;
  expiresAt: number;
}

/** Bound on answers kept for `windowMs`, so a flood of distinct requests cannot grow memory without limit. */
const maxRecent = 1_000;

/**
 * Identical in-flight non-streaming requests share one upstream call (docs/guard.md). Each caller
 * keeps its own cancellation: a caller that disconnects leaves the others waiting, and the shared call is aborted
 * only when every caller has gone. With `windowMs` > 0 a finished answer is also handed to identical requests
 * arriving within that time. Failures are never kept.
 */
export class Dedup {
  readonly #inFlight = new Map<string, InFlight>();
  readonly #recent = new Map<string, Recent>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  get inFlightCount(): number {
    return this.#inFlight.size;
  }

  /** Callers currently waiting on a shared call (the first caller included). */
  get callerCount(): number {
    let callers = 0;
    for (const entry of this.#inFlight.values()) callers += entry.callers;
    return callers;
  }

  run<T>(
    key: string,
    signal: AbortSignal,
    windowMs: number,
    execute: (sharedSignal: AbortSignal) => Promise<T>,
    aborted: () => ProxyError,
  ): Promise<T> {
    if (signal.aborted) return Promise.reject(aborted());
    const recent = this.#recent.get(key);
    if (recent) {
      if (recent.expiresAt > this.#clock.now()) return Promise.resolve(recent.value as T);
      this.#recent.delete(key);
    }
    let entry = this.#inFlight.get(key);
    if (!entry) {
      const controller = new AbortController();
      const created: InFlight = { controller, callers: 0, promise: Promise.resolve() };
      created.promise = execute(controller.signal).then(
        (value) => {
          this.#inFlight.delete(key);
          if (windowMs > 0) this.#remember(key, value, this.#clock.now() + windowMs);
          return value;
        },
        (error: unknown) => {
          this.#inFlight.delete(key);
          throw error;
        },
      );
      this.#inFlight.set(key, created);
      entry = created;
    }
    return this.#join(entry, signal, aborted) as Promise<T>;
  }

  #join(entry: InFlight, signal: AbortSignal, aborted: () => ProxyError): Promise<unknown> {
    entry.callers += 1;
    return new Promise((resolve, reject) => {
      let settled = false;
      const onAbort = () => {
        if (settled) return;
        settled = true;
        entry.callers -= 1;
        if (entry.callers === 0) entry.controller.abort(aborted());
        reject(aborted());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      entry.promise.then(
        (value) => {
          if (settled) return;
          settled = true;
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  #remember(key: string, value: unknown, expiresAt: number): void {
    if (this.#recent.size >= maxRecent) {
      const oldest = this.#recent.keys().next();
      if (!oldest.done) this.#recent.delete(oldest.value);
    }
    this.#recent.set(key, { value, expiresAt });
  }
}
