import type { ProxyError } from '../errors/proxy-error.ts';
import type { BreakerTicket } from './circuit-breaker.ts';
import type { TimerHandle } from './clock.ts';
import { chooseKey } from './choose-key.ts';
import { clientAbortedError } from '../errors/proxy-error.ts';
import { noUsableKeyError, queueFullError, waitExceededError } from './guard-errors.ts';
import type { KeyRuntime } from './key-runtime.ts';
import type { GuardDependencies, ProviderRuntime } from './provider-runtime.ts';
import type { TokenEstimate } from './rate-limiter.ts';
import type { AdmissionVerdict } from './shared-state/guard-state-store.ts';

export interface AdmissionRequest {
  model: string;
  tokens: TokenEstimate;
  avoid: ReadonlySet<string>;
  /** Only these keys may serve; all when absent. */
  only?: ReadonlySet<string>;
  /** Latest time to wait for a slot; past it the request is refused (429 with retry-after). */
  deadline: number;
  /** Retries go ahead of first attempts (they already waited their turn) and are not refused for a full queue. */
  priority: boolean;
  signal: AbortSignal;
}

/** A granted send: the key it uses and the breaker ticket of that key. Give it back with `release`. */
export interface Admission {
  key: KeyRuntime;
  keyTicket: BreakerTicket;
  admittedAt: number;
  /** The cluster-wide in-flight lease, when the state is shared. */
  leaseId?: string;
}

interface Waiter {
  request: AdmissionRequest;
  enqueuedAt: number;
  resolve: (admission: Admission) => void;
  reject: (error: ProxyError) => void;
  onAbort: () => void;
}

type Attempted =
  | { kind: 'admitted'; admission: Admission }
  | { kind: 'wait'; until: number }
  | { kind: 'refused'; error: ProxyError }
  /** Shared state: the local checks passed for this key; the cluster-wide admission decides. */
  | { kind: 'check'; key: KeyRuntime };

/** Retry-after for a refusal when nothing better is known: soon enough to be useful, far enough not to hammer. */
const defaultRetryAfterMs = 1_000;

/**
 * The queue of one provider (docs/guard.md): strict FIFO (retries first) in front of the
 * provider-wide concurrency and rate limits and the key pool. The head is admitted as soon as the provider and one
 * key have room; a single timer wakes the queue at the next moment something could change, and every finished
 * send wakes it too. Keeping the order strict means a large request cannot be starved by small ones.
 */
export class SendQueue {
  readonly #provider: ProviderRuntime;
  readonly #dependencies: GuardDependencies;
  #waiters: Waiter[] = [];
  #timer: { at: number; handle: TimerHandle } | undefined;
  /** Shared state: the head whose cluster-wide admission is under way. The queue admits nothing else meanwhile (FIFO). */
  #checking: Waiter | undefined;

  constructor(provider: ProviderRuntime, dependencies: GuardDependencies) {
    this.#provider = provider;
    this.#dependencies = dependencies;
  }

  get depth(): number {
    return this.#waiters.length;
  }

  acquire(request: AdmissionRequest): Promise<Admission> {
    const provider = this.#provider;
    if (request.signal.aborted) return Promise.reject(clientAbortedError(provider.id, request.signal.reason));
    const now = this.#dependencies.clock.now();
    // With shared state an admission takes a Redis round trip, so every request goes through the queue.
    if (!this.#dependencies.sharedState.shared && (this.#waiters.length === 0 || request.priority)) {
      const attempted = this.#tryAdmit(request, now);
      if (attempted.kind === 'admitted') return Promise.resolve(attempted.admission);
      if (attempted.kind === 'refused') return Promise.reject(attempted.error);
    }
    const { maxLength } = provider.settings.queue;
    // With shared state a request that would be admitted at once still passes through the queue for its Redis
    // answer; it is not waiting for a slot, so it does not count against maxLength (0 means "never wait").
    const passingThrough = this.#dependencies.sharedState.shared && this.#waiters.length === 0 && !this.#checking;
    if (!request.priority && !passingThrough && this.#waiters.length >= maxLength) {
      this.#dependencies.events.emit({ type: 'queue-full', at: now, providerId: provider.id, maxLength });
      return Promise.reject(queueFullError(provider.id, maxLength, this.#retryAfterEstimate(now)));
    }
    return new Promise<Admission>((resolve, reject) => {
      const waiter: Waiter = {
        request,
        enqueuedAt: now,
        resolve,
        reject,
        onAbort: () => {
          this.#remove(waiter);
          reject(clientAbortedError(provider.id, request.signal.reason));
          this.pump();
        },
      };
      request.signal.addEventListener('abort', waiter.onAbort, { once: true });
      if (request.priority) {
        let index = 0;
        while (index < this.#waiters.length && this.#waiters[index]!.request.priority) index += 1;
        this.#waiters.splice(index, 0, waiter);
      } else {
        this.#waiters.push(waiter);
      }
      this.pump();
    });
  }

  /** Gives a slot back when a send has finished (for streams: when the body has been relayed). */
  release(admission: Admission): void {
    if (admission.leaseId !== undefined) this.#dependencies.sharedState.release(admission.leaseId);
    admission.key.inFlight -= 1;
    this.#provider.inFlight -= 1;
    if (this.#waiters.length > 0) this.pump();
  }

  /** Admits whatever can go now, refuses what waited too long or can never be served in time, and sets the timer. */
  pump(): void {
    const now = this.#dependencies.clock.now();
    let wakeAt = Number.POSITIVE_INFINITY;
    // Expired waiters anywhere in the queue are refused first (their deadlines differ: retries have their own).
    for (let index = this.#waiters.length - 1; index >= 0; index -= 1) {
      const waiter = this.#waiters[index]!;
      if (waiter === this.#checking) continue;
      if (waiter.request.deadline <= now) {
        this.#waiters.splice(index, 1);
        waiter.request.signal.removeEventListener('abort', waiter.onAbort);
        waiter.reject(waitExceededError(this.#provider.id, now - waiter.enqueuedAt, this.#retryAfterEstimate(now)));
      } else {
        wakeAt = Math.min(wakeAt, waiter.request.deadline);
      }
    }
    while (this.#waiters.length > 0 && !this.#checking) {
      const head = this.#waiters[0]!;
      const attempted = this.#tryAdmit(head.request, now);
      if (attempted.kind === 'wait') {
        wakeAt = Math.min(wakeAt, attempted.until);
        break;
      }
      if (attempted.kind === 'check') {
        this.#checkShared(head, attempted.key, now);
        break;
      }
      this.#waiters.shift();
      head.request.signal.removeEventListener('abort', head.onAbort);
      if (attempted.kind === 'admitted') head.resolve(attempted.admission);
      else head.reject(attempted.error);
    }
    this.#schedule(now, this.#waiters.length > 0 ? wakeAt : Number.POSITIVE_INFINITY);
  }

  #tryAdmit(request: AdmissionRequest, now: number): Attempted {
    const provider = this.#provider;
    if (provider.inFlight >= provider.settings.providerLimits.maxConcurrent) return { kind: 'wait', until: Number.POSITIVE_INFINITY };
    // The provider's last paced send is still connecting: its report (or its end) wakes the queue.
    if (provider.limiter.awaitingSend) return { kind: 'wait', until: Number.POSITIVE_INFINITY };
    const providerAt = Math.max(provider.limiter.nextAllowedAt(now, request.tokens), provider.sharedBlockedUntil);
    if (providerAt > now) {
      if (providerAt <= request.deadline) return { kind: 'wait', until: providerAt };
      return { kind: 'refused', error: noUsableKeyError(provider.id, 'the provider-wide limits are reached', providerAt - now) };
    }
    const choice = chooseKey(provider.keys, request, now, provider.settings.keyStrategy, provider.strategyState, this.#dependencies.random);
    if (choice.kind === 'wait') return choice;
    if (choice.kind === 'none') {
      const retryAfterMs = Number.isFinite(choice.availableAt) ? choice.availableAt - now : undefined;
      const detail = provider.keys.length === 0 && provider.noKeysHint ? provider.noKeysHint : choice.detail;
      return { kind: 'refused', error: noUsableKeyError(provider.id, detail, retryAfterMs) };
    }
    if (this.#dependencies.sharedState.shared) return { kind: 'check', key: choice.key };
    return { kind: 'admitted', admission: this.#admitLocally(choice.key, request, now) };
  }

  /** Counts a granted send in the local state: slots, counters, rate windows of the key and the provider. */
  #admitLocally(key: KeyRuntime, request: AdmissionRequest, now: number, leaseId?: string): Admission {
    const provider = this.#provider;
    // The key's breaker is passable (chooseKey checked it), so a ticket is always granted here.
    const keyTicket = key.breaker.tryPass(now) ?? { probe: false };
    key.inFlight += 1;
    provider.inFlight += 1;
    key.requests += 1;
    provider.requests += 1;
    key.limiter.record(now, request.tokens);
    provider.limiter.record(now, request.tokens);
    return { key, keyTicket, admittedAt: now, ...(leaseId !== undefined ? { leaseId } : {}) };
  }

  /** One cluster-wide admission (one Redis script call) for the head, which the local checks let through on `key`. */
  #checkShared(waiter: Waiter, key: KeyRuntime, now: number): void {
    this.#checking = waiter;
    const { request } = waiter;
    // The estimate costs a walk over the body: only computed when a token window or budget will read it.
    const tokens = key.limiter.countsTokens(now) || this.#provider.limiter.countsTokens(now) ? request.tokens() : 0;
    const check = { provider: this.#provider.scopeRef(), key: key.scopeRef(), model: request.model, tokens, now };
    this.#dependencies.sharedState.admit(check).then(
      (verdict) => this.#finishCheck(waiter, key, verdict),
      () => this.#finishCheck(waiter, key, { kind: 'unavailable' }),
    );
  }

  #finishCheck(waiter: Waiter, key: KeyRuntime, verdict: AdmissionVerdict): void {
    this.#checking = undefined;
    const stillWaiting = this.#waiters.includes(waiter);
    if (verdict.kind === 'wait') {
      // Another instance holds the scope: remember until when, and let the key choice look again (another key, or wait).
      if (verdict.scope === 'provider') this.#provider.sharedBlockedUntil = Math.max(this.#provider.sharedBlockedUntil, verdict.until);
      else if (Number.isFinite(verdict.until)) key.sharedBlockedUntil = Math.max(key.sharedBlockedUntil, verdict.until);
      else key.disabledReason = verdict.reason.replace(/^disabled: /, '');
    } else if (!stillWaiting) {
      // The client left while Redis answered: the send stays counted (safe side), its slot is freed at once.
      if (verdict.kind === 'admitted') this.#dependencies.sharedState.release(verdict.leaseId);
    } else {
      this.#remove(waiter);
      waiter.request.signal.removeEventListener('abort', waiter.onAbort);
      const now = this.#dependencies.clock.now();
      waiter.resolve(this.#admitLocally(key, waiter.request, now, verdict.kind === 'admitted' ? verdict.leaseId : undefined));
    }
    this.pump();
  }

  /** A refusal's retry-after: when the queue would next be looked at, at least a second. */
  #retryAfterEstimate(now: number): number {
    const next = this.#timer?.at;
    return Math.max(defaultRetryAfterMs, next !== undefined && Number.isFinite(next) ? Math.ceil(next - now) : 0);
  }

  #remove(waiter: Waiter): void {
    const index = this.#waiters.indexOf(waiter);
    if (index >= 0) this.#waiters.splice(index, 1);
  }

  #schedule(now: number, wakeAt: number): void {
    if (this.#timer && this.#timer.at === wakeAt) return;
    this.#timer?.handle.cancel();
    this.#timer = undefined;
    if (!Number.isFinite(wakeAt)) return;
    const handle = this.#dependencies.clock.setTimer(Math.max(1, wakeAt - now), () => {
      this.#timer = undefined;
      this.pump();
    });
    this.#timer = { at: wakeAt, handle };
  }
}
