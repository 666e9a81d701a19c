import type { Clock, TimerHandle } from '../../main/core/guard/clock.ts';

interface ManualTimer {
  at: number;
  order: number;
  callback: () => void;
  cancelled: boolean;
}

/** Lets promise callbacks and I/O callbacks that are already due run, so code woken by a timer can react. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock that only moves when a test moves it. Timers fire in time order (then in creation order) and after each
 * one the pending promise work is allowed to run, as it would between two real timer callbacks.
 */
export class ManualClock implements Clock {
  #now: number;
  #order = 0;
  #timers: ManualTimer[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const timer: ManualTimer = { at: this.#now + Math.max(0, delayMs), order: this.#order++, callback, cancelled: false };
    this.#timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Time of the next live timer, if any. */
  nextTimerAt(): number | undefined {
    return this.#next()?.at;
  }

  pendingTimers(): number {
    return this.#timers.filter((timer) => !timer.cancelled).length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, each at its own time. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.#now + ms);
  }

  async advanceTo(target: number): Promise<void> {
    await settle();
    // Bounded: a timer that keeps rescheduling itself at the same instant cannot spin forever.
    for (let fired = 0; fired < 100_000; fired += 1) {
      const timer = this.#next();
      if (!timer || timer.at > target) break;
      this.#fire(timer);
      await settle();
    }
    this.#now = Math.max(this.#now, target);
    await settle();
  }

  /** Jumps to the next timer and fires it (and any others due at the same instant). Returns false when none is left. */
  async runNext(): Promise<boolean> {
    await settle();
    const timer = this.#next();
    if (!timer) return false;
    await this.advanceTo(timer.at);
    return true;
  }

  #fire(timer: ManualTimer): void {
    this.#timers = this.#timers.filter((candidate) => candidate !== timer && !candidate.cancelled);
    this.#now = Math.max(this.#now, timer.at);
    timer.callback();
  }

  #next(): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const timer of this.#timers) {
      if (timer.cancelled) continue;
      if (!best || timer.at < best.at || (timer.at === best.at && timer.order < best.order)) best = timer;
    }
    return best;
  }
}
