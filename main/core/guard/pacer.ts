/**
 * Spacing between sends with an allowance for bursts, as a generic cell rate algorithm: `burst` sends may leave
 * back to back, after which one send per `intervalMs`. With burst 1 this is plain "at least intervalMs between two
 * sends" (minDelayMs). The state is the theoretical time the next send would be due, plus how many admitted sends
 * have not gone out on the wire yet.
 *
 * Spacing is timed from the moment a send actually left (docs/guard.md, Pacing at the wire): admission reserves
 * the slot, and when the upstream client reports that the request was written to its connection (after connect,
 * proxy handshake and TLS), the next due time moves to one interval after that moment. While `burst` sends are
 * admitted but not yet out, no further send is admitted: a slow connection setup cannot let the next request
 * overtake the spacing.
 */
export class Pacer {
  #intervalMs: number;
  #burst: number;
  #dueAt = Number.NEGATIVE_INFINITY;
  /** Sends recorded but not yet out (nor ended): counted whatever the interval, so a reload cannot lose one. */
  #unsent = 0;

  constructor(intervalMs: number, burst: number) {
    this.#intervalMs = Math.max(0, intervalMs);
    this.#burst = Math.max(1, burst);
  }

  /** Keeps the history (the next due time) so a config reload cannot release a burst. */
  reconfigure(intervalMs: number, burst: number): void {
    this.#intervalMs = Math.max(0, intervalMs);
    this.#burst = Math.max(1, burst);
  }

  get intervalMs(): number {
    return this.#intervalMs;
  }

  /** True while the sends admitted last have not gone out yet: the next one waits for them (not for a time). */
  get awaitingSend(): boolean {
    return this.#intervalMs > 0 && this.#unsent >= this.#burst;
  }

  /** Earliest time (>= now) at which a send may leave; +Infinity while the previous sends are still connecting. */
  nextAllowedAt(now: number): number {
    if (this.#intervalMs === 0) return now;
    if (this.#unsent >= this.#burst) return Number.POSITIVE_INFINITY;
    return Math.max(now, this.#dueAt - (this.#burst - 1) * this.#intervalMs);
  }

  /** A send was admitted at `now`: its slot is taken; `settle` must follow once it went out or ended. */
  record(now: number): void {
    this.#unsent += 1;
    if (this.#intervalMs === 0) return;
    this.#dueAt = Math.max(this.#dueAt, now) + this.#intervalMs;
  }

  /** A request left on the wire at `at`: no later send is due before one interval after it. */
  wentOut(at: number): void {
    if (this.#intervalMs === 0) return;
    this.#dueAt = Math.max(this.#dueAt, at + this.#intervalMs);
  }

  /** A recorded send went out or ended without going out: it no longer holds back the next one. */
  settle(): void {
    if (this.#unsent > 0) this.#unsent -= 1;
  }
}

/** The spacing a limits block asks for: minDelayMs, or, when only a burst and a per-minute limit are set, the minute spread evenly. */
export function pacingInterval(limits: { minDelayMs: number; burst: number | undefined; perMinute: number | undefined }): number {
  if (limits.minDelayMs > 0) return limits.minDelayMs;
  if (limits.burst !== undefined && limits.perMinute !== undefined) return 60_000 / limits.perMinute;
  return 0;
}
