import type { ResolvedLimits } from './guard-settings.ts';
import { LearnedBudget } from './learned-budget.ts';
import { Pacer, pacingInterval } from './pacer.ts';
import { SendLog } from './send-log.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** A request's estimated input tokens, computed on first call and remembered (see estimateInputTokens). */
export type TokenEstimate = () => number;

export interface WindowUsage {
  name: 'perMinute' | 'perHour' | 'perDay' | 'tokensPerMinute';
  windowMs: number;
  used: number;
  limit: number;
}

function longestWindow(limits: ResolvedLimits): number {
  if (limits.perDay !== undefined) return day;
  if (limits.perHour !== undefined) return hour;
  if (limits.perMinute !== undefined || limits.tokensPerMinute !== undefined) return minute;
  return 0;
}

/**
 * The rate side of one key or one provider: spacing and burst (pacer), rolling request windows per minute, hour
 * and day, a rolling tokens-per-minute window, and the budget learned from the provider's headers. Concurrency is
 * counted by the caller (it is released, not timed).
 */
export class RateLimiter {
  #limits: ResolvedLimits;
  readonly #pacer: Pacer;
  readonly #log: SendLog;
  readonly learned = new LearnedBudget();

  constructor(limits: ResolvedLimits) {
    this.#limits = limits;
    this.#pacer = new Pacer(pacingInterval(limits), limits.burst ?? 1);
    this.#log = new SendLog(longestWindow(limits));
  }

  get limits(): ResolvedLimits {
    return this.#limits;
  }

  /** New limits; the send history is kept, so a reload never lets out a burst the old limits held back. */
  reconfigure(limits: ResolvedLimits): void {
    this.#limits = limits;
    this.#pacer.reconfigure(pacingInterval(limits), limits.burst ?? 1);
    this.#log.retentionMs = longestWindow(limits);
  }

  /** Earliest time (>= now) at which a send of `tokens` estimated input tokens may leave. */
  nextAllowedAt(now: number, tokens: TokenEstimate): number {
    const limits = this.#limits;
    let at = this.#pacer.nextAllowedAt(now);
    if (limits.perMinute !== undefined) at = Math.max(at, this.#log.nextSlotForCount(now, minute, limits.perMinute));
    if (limits.perHour !== undefined) at = Math.max(at, this.#log.nextSlotForCount(now, hour, limits.perHour));
    if (limits.perDay !== undefined) at = Math.max(at, this.#log.nextSlotForCount(now, day, limits.perDay));
    if (limits.tokensPerMinute !== undefined) at = Math.max(at, this.#log.nextSlotForTokens(now, minute, limits.tokensPerMinute, tokens()));
    return Math.max(at, this.learned.nextAllowedAt(now, this.learned.countsTokens(now) ? tokens() : 0));
  }

  /** Whether a send's token estimate matters here: a tokens-per-minute window or a learned token budget. */
  countsTokens(now: number): boolean {
    return this.#limits.tokensPerMinute !== undefined || this.learned.countsTokens(now);
  }

  /** Whether pacing is in force: sends then report when they went out (docs/guard.md, Pacing at the wire). */
  get paced(): boolean {
    return this.#pacer.intervalMs > 0;
  }

  /** The admitted sends have not gone out yet: the next one waits for that, not for a time. */
  get awaitingSend(): boolean {
    return this.#pacer.awaitingSend;
  }

  /** A send recorded here left on the wire at `at` (see Pacer.wentOut). */
  wentOut(at: number): void {
    this.#pacer.wentOut(at);
  }

  /** A send recorded here went out or ended (see Pacer.settle). */
  settle(): void {
    this.#pacer.settle();
  }

  record(now: number, tokens: TokenEstimate): void {
    this.#pacer.record(now);
    // The token estimate is computed only when a window or a learned budget counts tokens (it costs a body walk).
    this.#log.record(now, this.#limits.tokensPerMinute !== undefined ? tokens() : 0);
    this.learned.record(now, this.learned.countsTokens(now) ? tokens() : 0);
  }

  usage(now: number): WindowUsage[] {
    const limits = this.#limits;
    const usage: WindowUsage[] = [];
    const windows = [
      ['perMinute', minute, limits.perMinute],
      ['perHour', hour, limits.perHour],
      ['perDay', day, limits.perDay],
    ] as const;
    for (const [name, windowMs, limit] of windows) {
      if (limit !== undefined) usage.push({ name, windowMs, limit, used: this.#log.countAfter(now - windowMs) });
    }
    if (limits.tokensPerMinute !== undefined) {
      usage.push({ name: 'tokensPerMinute', windowMs: minute, limit: limits.tokensPerMinute, used: this.#log.tokensAfter(now - minute) });
    }
    return usage;
  }
}
