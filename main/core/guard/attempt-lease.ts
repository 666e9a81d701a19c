import type { Clock } from './clock.ts';
import type { KeyLease, SentReport } from './guard-contract.ts';
import type { ProviderRuntime } from './provider-runtime.ts';
import type { Admission } from './send-queue.ts';

/**
 * The lease handed to one attempt: the key to send with, and the two moments the guard wants to hear about. One
 * object per attempt with methods on its prototype, so the request path allocates no closures for them.
 *  - `requestSent` (only offered as `sentReport` when pacing is in force): the request was written to its
 *    connection; the spacing to the next send is timed from here (docs/guard.md, Pacing at the wire).
 *  - `headersArrived`: the answer's headers came; latency is measured to here.
 * `end` is the guard's own call when the attempt settles: a send that never reported going out (a connect error,
 * a failure while preparing) stops holding back the next one.
 */
export class AttemptLease implements KeyLease, SentReport {
  readonly providerId: string;
  readonly keyId: string;
  readonly secret: string;
  readonly attempt: number;
  readonly signal: AbortSignal;
  readonly sentReport: SentReport | undefined;
  headersAt: number | undefined;
  readonly #provider: ProviderRuntime;
  readonly #admission: Admission;
  readonly #clock: Clock;
  #settled = false;

  constructor(provider: ProviderRuntime, admission: Admission, attempt: number, signal: AbortSignal, clock: Clock) {
    this.providerId = provider.id;
    this.keyId = admission.key.id;
    this.secret = admission.key.secret;
    this.attempt = attempt;
    this.signal = signal;
    this.#provider = provider;
    this.#admission = admission;
    this.#clock = clock;
    this.sentReport = admission.key.limiter.paced || provider.limiter.paced ? this : undefined;
  }

  headersArrived(): void {
    this.headersAt ??= this.#clock.now();
  }

  /** Every send of the attempt reports (an account's one re-send after a 401 too); the first one settles the slot. */
  requestSent(): void {
    const settles = !this.#settled;
    this.#settled = true;
    // The clock truncates; the true moment may be up to its granularity later, and the spacing must hold in true time.
    this.#provider.requestWentOut(this.#admission, this.#clock.now() + (this.#clock.granularityMs ?? 0), settles);
  }

  end(): void {
    if (!this.#settled) this.requestSent();
  }
}
