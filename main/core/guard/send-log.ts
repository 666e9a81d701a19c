/**
 * How long a send keeps counting in a rolling window beyond the window itself. The provider counts arrivals on its
 * own clock; a send that left us a little late or arrived a little early must not make the provider see one
 * request too many in its window. One second is small next to the shortest window (a minute).
 */
export const windowMarginMs = 1_000;

/**
 * The times (and estimated tokens) of recent sends, oldest first, kept as long as the longest window needs them.
 * Counting sends or tokens within any window is a binary search, so checks stay cheap with thousands of entries.
 */
export class SendLog {
  #times: number[] = [];
  /** Running token total up to and including each entry. */
  #cumulativeTokens: number[] = [];
  #start = 0;
  /** Token total of the entries dropped by compaction (the running totals stay absolute). */
  #baseTokens = 0;
  #retentionMs: number;

  constructor(retentionMs: number) {
    this.#retentionMs = retentionMs;
  }

  set retentionMs(value: number) {
    this.#retentionMs = value;
  }

  get size(): number {
    return this.#times.length - this.#start;
  }

  record(now: number, tokens: number): void {
    if (this.#retentionMs <= 0) return;
    const last = this.#times.length > this.#start ? this.#times[this.#times.length - 1]! : Number.NEGATIVE_INFINITY;
    const previousTotal = this.#tokensBefore(this.#times.length);
    // A wall clock can step back; keep the log sorted so the searches stay valid.
    this.#times.push(Math.max(now, last));
    this.#cumulativeTokens.push(previousTotal + Math.max(0, tokens));
    this.#prune(now);
  }

  /** Number of sends after `since` (exclusive). */
  countAfter(since: number): number {
    return this.#times.length - this.#firstAfter(since);
  }

  /** Tokens of the sends after `since`. */
  tokensAfter(since: number): number {
    const index = this.#firstAfter(since);
    if (index >= this.#times.length) return 0;
    return this.#cumulativeTokens[this.#times.length - 1]! - this.#tokensBefore(index);
  }

  /**
   * Earliest time (>= now) at which one more send fits `limit` sends per `windowMs`: when the send that would be
   * one too many in the window has aged out of it.
   */
  nextSlotForCount(now: number, windowMs: number, limit: number): number {
    const span = windowMs + windowMarginMs;
    const inWindow = this.countAfter(now - span);
    if (inWindow < limit) return now;
    const blocking = this.#times[this.#times.length - limit]!;
    return Math.max(now, blocking + span);
  }

  /** Earliest time (>= now) at which `tokens` more fit `limit` tokens per `windowMs`. An oversized request waits for an empty window. */
  nextSlotForTokens(now: number, windowMs: number, limit: number, tokens: number): number {
    const span = windowMs + windowMarginMs;
    const first = this.#firstAfter(now - span);
    const end = this.#times.length;
    if (first >= end) return now;
    const total = this.#cumulativeTokens[end - 1]!;
    const budget = limit - tokens;
    if (budget >= 0 && total - this.#tokensBefore(first) <= budget) return now;
    if (budget < 0) return Math.max(now, this.#times[end - 1]! + span);
    // Smallest index i such that the entries from i on fit the budget; entry i-1 must leave the window first.
    let low = first + 1;
    let high = end;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (total - this.#tokensBefore(middle) <= budget) high = middle;
      else low = middle + 1;
    }
    return Math.max(now, this.#times[low - 1]! + span);
  }

  #tokensBefore(index: number): number {
    return index > 0 ? this.#cumulativeTokens[index - 1]! : this.#baseTokens;
  }

  #firstAfter(since: number): number {
    let low = this.#start;
    let high = this.#times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#times[middle]! > since) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  #prune(now: number): void {
    const cutoff = now - this.#retentionMs - windowMarginMs;
    while (this.#start < this.#times.length && this.#times[this.#start]! <= cutoff) this.#start += 1;
    // Compact now and then so the arrays do not grow without bound; amortised O(1) per send.
    if (this.#start > 1024 && this.#start * 2 > this.#times.length) {
      this.#baseTokens = this.#cumulativeTokens[this.#start - 1]!;
      this.#times = this.#times.slice(this.#start);
      this.#cumulativeTokens = this.#cumulativeTokens.slice(this.#start);
      this.#start = 0;
    }
  }
}
