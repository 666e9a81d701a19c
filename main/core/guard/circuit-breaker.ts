export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSettings {
  failureThreshold: number;
  windowMs: number;
  cooldownMs: number;
  halfOpenProbes: number;
}

export interface BreakerSnapshot {
  state: BreakerState;
  /** Failures counted in the current window (closed state). */
  recentFailures: number;
  /** When an open breaker lets a probe through. */
  openUntil?: number;
}

/** What a caller holds between passing the breaker and reporting the outcome. */
export interface BreakerTicket {
  probe: boolean;
}

/**
 * Closed / open / half-open. Closed: failures are counted in a rolling window; `failureThreshold` of them open the
 * breaker. Open: nothing passes for `cooldownMs`. Half-open: one probe at a time passes; `halfOpenProbes`
 * successful probes close the breaker, a failed probe opens it again. Only provider-side failures are reported
 * here (never a 400, a 429 or a client disconnect; see execution-guard.ts).
 */
export class CircuitBreaker {
  #settings: BreakerSettings;
  #state: BreakerState = 'closed';
  #failures: number[] = [];
  #openUntil = 0;
  #probesInFlight = 0;
  #probeSuccesses = 0;
  readonly #onChange: (state: BreakerState, openUntil: number | undefined) => void;

  constructor(settings: BreakerSettings, onChange: (state: BreakerState, openUntil: number | undefined) => void = () => {}) {
    this.#settings = settings;
    this.#onChange = onChange;
  }

  reconfigure(settings: BreakerSettings): void {
    this.#settings = settings;
  }

  state(now: number): BreakerState {
    if (this.#state === 'open' && now >= this.#openUntil) this.#enter('half-open', now);
    return this.#state;
  }

  /** The time from which something may pass again (now when it may pass now, +Infinity while a probe is out). */
  passableAt(now: number): number {
    const state = this.state(now);
    if (state === 'closed') return now;
    if (state === 'open') return this.#openUntil;
    return this.#probesInFlight === 0 ? now : Number.POSITIVE_INFINITY;
  }

  /** Takes a ticket if the breaker lets a request through now; undefined when it does not. */
  tryPass(now: number): BreakerTicket | undefined {
    const state = this.state(now);
    if (state === 'closed') return { probe: false };
    if (state === 'open' || this.#probesInFlight > 0) return undefined;
    this.#probesInFlight += 1;
    return { probe: true };
  }

  success(ticket: BreakerTicket, now: number): void {
    if (!ticket.probe) return;
    this.#probesInFlight = Math.max(0, this.#probesInFlight - 1);
    if (this.state(now) !== 'half-open') return;
    this.#probeSuccesses += 1;
    if (this.#probeSuccesses >= this.#settings.halfOpenProbes) this.#enter('closed', now);
  }

  failure(ticket: BreakerTicket, now: number): void {
    if (ticket.probe) {
      this.#probesInFlight = Math.max(0, this.#probesInFlight - 1);
      if (this.state(now) === 'half-open') this.#enter('open', now);
      return;
    }
    if (this.state(now) !== 'closed') return;
    this.#prune(now);
    this.#failures.push(now);
    if (this.#failures.length >= this.#settings.failureThreshold) this.#enter('open', now);
  }

  /** The request ended without saying anything about the provider (client left, 400, local refusal). */
  release(ticket: BreakerTicket): void {
    if (ticket.probe) this.#probesInFlight = Math.max(0, this.#probesInFlight - 1);
  }

  reset(now: number): void {
    this.#probesInFlight = 0;
    if (this.#state !== 'closed') this.#enter('closed', now);
    this.#failures = [];
  }

  snapshot(now: number): BreakerSnapshot {
    const state = this.state(now);
    this.#prune(now);
    return state === 'open'
      ? { state, recentFailures: this.#failures.length, openUntil: this.#openUntil }
      : { state, recentFailures: this.#failures.length };
  }

  #prune(now: number): void {
    const cutoff = now - this.#settings.windowMs;
    let drop = 0;
    while (drop < this.#failures.length && this.#failures[drop]! <= cutoff) drop += 1;
    if (drop > 0) this.#failures.splice(0, drop);
  }

  #enter(state: BreakerState, now: number): void {
    this.#state = state;
    this.#failures = [];
    this.#probeSuccesses = 0;
    if (state === 'open') this.#openUntil = now + this.#settings.cooldownMs;
    this.#onChange(state, state === 'open' ? this.#openUntil : undefined);
  }
}
