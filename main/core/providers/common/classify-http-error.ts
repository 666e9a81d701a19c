import { ProxyError } from '../../errors/proxy-error.ts';
import type { ErrorContext, UpstreamErrorResponse } from '../provider-adapter.ts';
import { retryAfterFromHeaders, retryDelayFromMessage } from './retry-hints.ts';

export interface ErrorDetails {
  /** The upstream's own error message, if its body had one. */
  message?: string;
  /** The upstream's own error type/status string. */
  upstreamType?: string;
  /** Retry delay found in the body (Gemini RetryInfo, "retry in Xs"). */
  retryAfterMs?: number;
  /** The quota is spent until a reset (per-day quota, insufficient_quota, spend limit). */
  quotaExhausted?: boolean;
  resetAt?: number;
  /**
   * Classify as if the upstream had answered with this status: for vendors whose status does not say what happened
   * (Gemini answers a bad key with 400, Zhipu an overload with 429, MiniMax puts the real code in `base_resp`).
   */
  treatAsStatus?: number;
}

/** Messages that mean "the account is out of money", whatever status came with them. */
const outOfCredit = /credit balance is too low|insufficient (?:balance|credits?|quota)|\u4f59\u989d\u4e0d\u8db3|no resource package|billing/i;

export function soundsOutOfCredit(message: string | undefined): boolean {
  return message !== undefined && outOfCredit.test(message);
}

/**
 * Generic status-based classification shared by all adapters; each adapter first reads its own body shape
 * into ErrorDetails. Decisions (docs/guard.md):
 * - 4xx caused by the request (400, 413, 422): scope `request`, never retried, never cools a key.
 * - 404: the model (or the endpoint) does not exist at this target: scope `target`, never retried, never cools a
 *   key, but a combo falls through to the next target, which may well have it.
 * - 401 / 403: the key is bad: scope `key`, disable it.
 * - 402 and spent quotas: the key is exhausted until its reset.
 * - 429: the key is rate limited: cool it for the hinted time and rotate.
 * - 408, 409, 5xx, 529: the provider is struggling: retryable, breaker material.
 */
export function classifyHttpError(response: UpstreamErrorResponse, context: ErrorContext, details: ErrorDetails): ProxyError {
  const status = details.treatAsStatus ?? response.status;
  const base = {
    status,
    provider: context.providerId,
    keyId: context.keyId,
    upstreamBody: response.body,
    upstreamType: details.upstreamType,
  };
  const upstreamMessage = details.message ?? (response.body.slice(0, 500) || `HTTP ${status}`);
  const message = `${context.providerId}: ${upstreamMessage}`;
  const hinted =
    retryAfterFromHeaders(response.headers, context.now) ?? details.retryAfterMs ?? retryDelayFromMessage(upstreamMessage);

  // An http:// upstream reached through a forward proxy that wants credentials: the proxy answered, not the provider.
  if (response.status === 407) {
    return new ProxyError({ ...base, status: 502, code: 'connection_failed', scope: 'provider', message: `${context.providerId}: the proxy asked for credentials (407); check the user:password in the proxy URL` });
  }
  if (details.quotaExhausted || status === 402) {
    return new ProxyError({ ...base, code: 'quota_exhausted', message, scope: 'key', retryable: true, resetAt: details.resetAt, retryAfterMs: hinted });
  }
  if (status === 401) return new ProxyError({ ...base, code: 'auth_failed', message, scope: 'key', retryable: true });
  if (status === 403) return new ProxyError({ ...base, code: 'permission_denied', message, scope: 'key', retryable: true });
  if (status === 429) return new ProxyError({ ...base, code: 'rate_limited', message, scope: 'key', retryable: true, retryAfterMs: hinted });
  if (status === 408) return new ProxyError({ ...base, code: 'timeout', message, scope: 'provider', retryable: true, retryAfterMs: hinted });
  if (status === 409) return new ProxyError({ ...base, code: 'upstream_error', message, scope: 'provider', retryable: true, retryAfterMs: hinted });
  if (status === 529 || status === 503) {
    return new ProxyError({ ...base, code: 'overloaded', message, scope: 'provider', retryable: true, retryAfterMs: hinted });
  }
  if (status === 504) return new ProxyError({ ...base, code: 'timeout', message, scope: 'provider', retryable: true, retryAfterMs: hinted });
  if (status >= 500) return new ProxyError({ ...base, code: 'upstream_error', message, scope: 'provider', retryable: true, retryAfterMs: hinted });
  if (status === 404) return new ProxyError({ ...base, code: 'not_found', message, scope: 'target' });
  if (status === 413) return new ProxyError({ ...base, code: 'payload_too_large', message, scope: 'request' });
  return new ProxyError({ ...base, code: 'invalid_request', message, scope: 'request' });
}
