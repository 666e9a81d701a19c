/**
 * Spacing between sends with an allowance for bursts, as a generic cell rate algorithm: `burst` sends may leave
 * back to back, after which one send per `intervalMs`. With burst 1 this is plain "at least intervalMs between two
 * sends" (minDelayMs). The state is a single number: the theoretical time the next send would be due.
 */
export class Pacer {
  #intervalMs: number;
  #burst: number;
  #dueAt = Number.NEGATIVE_INFINITY;

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

  /** Earliest time (>= now) at which a send may leave. */
  nextAllowedAt(now: number): number {
    if (this.#intervalMs === 0) return now;
    return Math.max(now, this.#dueAt - (this.#burst - 1) * this.#intervalMs);
  }

  record(now: number): void {
    if (this.#intervalMs === 0) return;
    this.#dueAt = Math.max(this.#dueAt, now) + this.#intervalMs;
  }
}

/** The spacing a limits block asks for: minDelayMs, or, when only a burst and a per-minute limit are set, the minute spread evenly. */
export function pacingInterval(limits: { minDelayMs: number; burst: number | undefined; perMinute: number | undefined }): number {
  if (limits.minDelayMs > 0) return limits.minDelayMs;
  if (limits.burst !== undefined && limits.perMinute !== undefined) return 60_000 / limits.perMinute;
  return 0;
}
