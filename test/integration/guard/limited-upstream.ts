import { anthropicMessage } from '../../helpers/fake-upstream/anthropic-replies.ts';
import type { FakeHandler, FakeReply, FakeUpstream, FakeUpstreamKind, RecordedRequest } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { chatCompletion } from '../../helpers/fake-upstream/openai-replies.ts';
import { trackUpstream } from './stop-after-each.ts';

/** One request as the provider saw it: which key, when (on the test's clock), and what it answered. */
export interface Arrival {
  index: number;
  keyId: string;
  at: number;
  status: number;
  request: RecordedRequest;
}

/** The provider's own rules, enforced per key whatever the guard does. */
export interface UpstreamLimits {
  /** At most `limit` accepted requests per key in any rolling `windowMs`. */
  window?: { limit: number; windowMs: number };
  /** At least this long between two requests of one key. */
  minSpacingMs?: number;
  /** Report the remaining budget of a fixed window in the provider's own headers (the guard learns from them). */
  headerWindow?: { limit: number; windowMs: number; style: 'anthropic' | 'openai' };
}

export interface LimitedUpstream {
  upstream: FakeUpstream;
  arrivals: Arrival[];
  /** 429s the provider had to send because a limit was broken: the guard's job is to keep this at 0. */
  readonly violations: number;
  /** Scripts the answer for requests that pass the limits (default: a text answer). */
  setReply(reply: FakeHandler): void;
  close(): Promise<void>;
}

/**
 * A fake provider on 127.0.0.1 that enforces its own rate limits per key (rolling window, minimum spacing) and
 * times every arrival on the clock the test gives it. It answers 429 with retry-after when a limit is broken, as a
 * real provider would, and counts it.
 */
export async function startLimitedUpstream(
  kind: FakeUpstreamKind,
  options: { now: () => number; keys: Record<string, string>; limits?: UpstreamLimits },
): Promise<LimitedUpstream> {
  const upstream = await startFakeUpstream(kind);
  const arrivals: Arrival[] = [];
  const accepted = new Map<string, number[]>();
  let violations = 0;
  let reply: FakeHandler = () => ({ kind: 'text' });
  const limits = options.limits ?? {};

  function broken(keyId: string, at: number): { retryAfterMs: number } | undefined {
    const times = accepted.get(keyId) ?? [];
    const last = times.at(-1);
    if (limits.minSpacingMs !== undefined && last !== undefined && at - last < limits.minSpacingMs) {
      return { retryAfterMs: limits.minSpacingMs - (at - last) };
    }
    if (limits.window) {
      const inWindow = times.filter((time) => time > at - limits.window!.windowMs);
      if (inWindow.length >= limits.window.limit) return { retryAfterMs: inWindow[0]! + limits.window.windowMs - at };
    }
    if (limits.headerWindow) {
      const start = Math.floor(at / limits.headerWindow.windowMs) * limits.headerWindow.windowMs;
      if (times.filter((time) => time >= start).length >= limits.headerWindow.limit) return { retryAfterMs: start + limits.headerWindow.windowMs - at };
    }
    return undefined;
  }

  function budgetHeaders(keyId: string, at: number): Record<string, string> {
    const window = limits.headerWindow;
    if (!window) return {};
    const start = Math.floor(at / window.windowMs) * window.windowMs;
    const remaining = window.limit - (accepted.get(keyId) ?? []).filter((time) => time >= start).length;
    const resetAt = start + window.windowMs;
    if (window.style === 'anthropic') {
      return {
        'anthropic-ratelimit-requests-limit': String(window.limit),
        'anthropic-ratelimit-requests-remaining': String(remaining),
        'anthropic-ratelimit-requests-reset': new Date(resetAt).toISOString(),
      };
    }
    const resetIn = resetAt - at;
    return {
      'x-ratelimit-limit-requests': String(window.limit),
      'x-ratelimit-remaining-requests': String(remaining),
      'x-ratelimit-reset-requests': `${Math.floor(resetIn / 1000)}s${resetIn % 1000}ms`.replace(/^0s/, ''),
    };
  }

  upstream.setHandler(async (request, index): Promise<FakeReply> => {
    const at = options.now();
    const keyId = options.keys[request.credential ?? ''] ?? `unknown:${request.credential ?? ''}`;
    const arrival: Arrival = { index, keyId, at, status: 200, request };
    arrivals.push(arrival);
    const violation = broken(keyId, at);
    if (violation) {
      violations += 1;
      arrival.status = 429;
      return { kind: 'error', status: 429, message: 'rate limit exceeded', headers: { 'retry-after': String(Math.max(1, Math.ceil(violation.retryAfterMs / 1000))) } };
    }
    accepted.set(keyId, [...(accepted.get(keyId) ?? []), at]);
    const answer = await reply(request, index);
    if (answer.kind === 'error') arrival.status = answer.status;
    const headers = budgetHeaders(keyId, at);
    if (Object.keys(headers).length === 0 || (answer.kind !== 'text' && answer.kind !== 'tool') || request.stream) return answer;
    // Same answer, plus the provider's rate-limit headers (only raw replies carry headers in the fake upstream).
    const body = kind === 'anthropic' ? anthropicMessage(answer, request.model ?? 'm', `msg_${index}`) : chatCompletion(answer, request.model ?? 'm', `chatcmpl-${index}`);
    return { kind: 'raw', status: 200, headers: { 'content-type': 'application/json', ...headers }, chunks: [JSON.stringify(body)] };
  });

  return {
    upstream,
    arrivals,
    get violations() {
      return violations;
    },
    setReply(next) {
      reply = next;
    },
    close: trackUpstream(() => upstream.close()),
  };
}

/** Arrivals grouped by key, in arrival order. */
export function arrivalsByKey(arrivals: readonly Arrival[]): Map<string, Arrival[]> {
  const byKey = new Map<string, Arrival[]>();
  for (const arrival of arrivals) byKey.set(arrival.keyId, [...(byKey.get(arrival.keyId) ?? []), arrival]);
  return byKey;
}

/** The most accepted requests of one key within any rolling window of `windowMs`. */
export function busiestWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  for (const start of times) most = Math.max(most, times.filter((time) => time >= start && time < start + windowMs).length);
  return most;
}
