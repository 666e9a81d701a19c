import type { ProxyError } from '../errors/proxy-error.ts';
import { clientAbortedError, toProxyError } from '../errors/proxy-error.ts';
import type { BreakerTicket } from './circuit-breaker.ts';
import type { Clock } from './clock.ts';
import { sleep, systemClock } from './clock.ts';
import type { Attempt, ExecutionGuard, GuardProvider, GuardRequest } from './guard-contract.ts';
import { AttemptLease } from './attempt-lease.ts';
import { circuitOpenError, unknownProviderError } from './guard-errors.ts';
import type { GuardEventListener } from './guard-events.ts';
import { GuardEventHub } from './guard-events.ts';
import type { GuardSnapshot } from './guard-snapshot.ts';
import { buildSnapshot } from './guard-snapshot.ts';
import type { GuardDependencies } from './provider-runtime.ts';
import { ProviderRuntime } from './provider-runtime.ts';
import { readRateLimitHints } from './rate-limit-headers.ts';
import { recordFailure, recordSuccess } from './record-outcome.ts';
import { decideRetry } from './retry-policy.ts';
import type { Admission } from './send-queue.ts';
import type { GuardStateStore } from './shared-state/guard-state-store.ts';
import { localStateStore } from './shared-state/guard-state-store.ts';
import { attachSharedState } from './shared-state/attach-shared-state.ts';

export interface ExecutionGuardOptions {
  clock?: Clock;
  /** A source of numbers in [0, 1) for jitter and the random key strategy. */
  random?: () => number;
  /** Listener for guard events (also available later through `subscribe`). */
  events?: GuardEventListener;
  /** Where state shared with other instances lives (docs/cluster.md); nothing is shared without it. */
  sharedState?: GuardStateStore;
}

type SendOutcome<T> = { ok: true; value: T } | { ok: false; error: ProxyError };

/**
 * The execution guard (docs/guard.md). Order of the steps around one upstream send:
 *   dedup -> provider breaker -> queue (FIFO, concurrency, spacing, rate windows) -> key pool -> attempt -> retry.
 * Each step lives in its own file; this one only composes them and owns the commit point: once `attempt` has
 * resolved, the answer belongs to the client and nothing is retried.
 */
export function createExecutionGuard(options: ExecutionGuardOptions = {}): ExecutionGuard {
  const events = new GuardEventHub();
  if (options.events) events.subscribe(options.events);
  const sharedState = options.sharedState ?? localStateStore;
  const dependencies: GuardDependencies = { clock: options.clock ?? systemClock, random: options.random ?? Math.random, events, sharedState };
  const providers = new Map<string, ProviderRuntime>();
  attachSharedState(sharedState, providers, events, dependencies.clock);

  async function send<T>(
    provider: ProviderRuntime,
    admission: Admission,
    providerTicket: BreakerTicket,
    request: GuardRequest,
    attempt: Attempt<T>,
    attemptNumber: number,
  ): Promise<SendOutcome<T>> {
    const lease = new AttemptLease(provider, admission, attemptNumber, request.signal, dependencies.clock);
    let result;
    try {
      result = await attempt(lease);
    } catch (thrown) {
      lease.end();
      const aborted = request.signal.aborted;
      const error = aborted ? clientAbortedError(provider.id, thrown) : toProxyError(thrown, provider.id);
      recordFailure(provider, admission, providerTicket, error, request.model, dependencies);
      provider.queue.release(admission);
      return { ok: false, error };
    }
    lease.end();
    // Commit point: from here on the answer is the client's; failures are counted but never retried.
    recordSuccess(provider, admission, providerTicket, readRateLimitHints(result.headers, dependencies.clock.now()), dependencies, lease.headersAt);
    if (result.finished) {
      result.finished.then(
        () => provider.queue.release(admission),
        (thrown: unknown) => {
          if (!request.signal.aborted) {
            recordFailure(provider, admission, { probe: false }, toProxyError(thrown, provider.id), request.model, dependencies);
          }
          provider.queue.release(admission);
        },
      );
    } else {
      provider.queue.release(admission);
    }
    return { ok: true, value: result.value };
  }

  async function runGuarded<T>(provider: ProviderRuntime, request: GuardRequest, attempt: Attempt<T>): Promise<T> {
    const { retry, queue } = provider.settings;
    const tried = new Set<string>();
    const only = request.keyIds ? new Set(request.keyIds) : undefined;
    let lastError: ProxyError | undefined;
    for (let attemptNumber = 1; ; attemptNumber += 1) {
      if (request.signal.aborted) throw clientAbortedError(provider.id, request.signal.reason);
      const now = dependencies.clock.now();
      const providerTicket = provider.breaker.tryPass(now);
      if (!providerTicket) {
        const reopensIn = provider.breaker.passableAt(now) - now;
        throw lastError ?? circuitOpenError(provider.id, Number.isFinite(reopensIn) ? reopensIn : undefined);
      }
      let admission: Admission;
      try {
        admission = await provider.queue.acquire({
          model: request.model,
          tokens: request.estimatedInputTokens,
          avoid: tried,
          ...(only ? { only } : {}),
          // A first attempt may wait its turn in the queue; a retry waits at most as long as a hint it would honour.
          deadline: now + (attemptNumber === 1 ? queue.maxWaitMs : retry.maxRetryAfterMs),
          priority: attemptNumber > 1,
          signal: request.signal,
        });
      } catch (refusal) {
        provider.breaker.release(providerTicket);
        const error = toProxyError(refusal, provider.id);
        // After a failed attempt, the upstream's own error says more to the client than "no usable key".
        throw lastError && error.scope !== 'client' ? lastError : error;
      }
      const outcome = await send(provider, admission, providerTicket, request, attempt, attemptNumber);
      if (outcome.ok) return outcome.value;
      const error = outcome.error;
      const decision = decideRetry(error, attemptNumber, retry, dependencies.random);
      if (decision.kind === 'stop') throw error;
      lastError = error;
      tried.add(admission.key.id);
      if (decision.delayMs > 0) {
        try {
          await sleep(dependencies.clock, decision.delayMs, request.signal);
        } catch (reason) {
          throw clientAbortedError(provider.id, reason);
        }
      }
    }
  }

  return {
    configure(configs: GuardProvider[]) {
      const seen = new Set<string>();
      for (const config of configs) {
        seen.add(config.id);
        const existing = providers.get(config.id);
        if (existing) existing.reconfigure(config);
        else providers.set(config.id, new ProviderRuntime(config, dependencies));
      }
      for (const id of [...providers.keys()]) if (!seen.has(id)) providers.delete(id);
    },

    run<T>(request: GuardRequest, attempt: Attempt<T>): Promise<T> {
      const provider = providers.get(request.providerId);
      if (!provider) return Promise.reject(unknownProviderError(request.providerId));
      const { dedup } = provider.settings;
      if (dedup.enabled && request.dedupKey !== undefined && !request.stream) {
        const key = `${request.model}\u0000${request.dedupKey}`;
        return provider.dedup.run(
          key,
          request.signal,
          dedup.windowMs,
          (sharedSignal) => runGuarded(provider, { ...request, signal: sharedSignal }, attempt),
          () => clientAbortedError(provider.id),
        );
      }
      return runGuarded(provider, request, attempt);
    },

    snapshot(): GuardSnapshot {
      return buildSnapshot(providers.values(), dependencies.clock.now(), sharedState.status());
    },

    subscribe(listener) {
      return events.subscribe(listener);
    },

    resetKey(providerId, keyId) {
      const provider = providers.get(providerId);
      const key = provider?.key(keyId);
      if (!provider || !key) return false;
      const now = dependencies.clock.now();
      key.clearState();
      key.breaker.reset(now);
      events.emit({ type: 'key-restored', at: now, providerId, keyId, key: provider.label(key) });
      provider.queue.pump();
      return true;
    },
  };
}
