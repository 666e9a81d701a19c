/**
 * The one error type of the request path. Every failure — bad client input, an upstream answer that is not 2xx,
 * a network problem, a full queue — is classified once into a ProxyError, and everything downstream (the guard's
 * retry and cooldown decisions, combo fallback, the error body rendered in the caller's format) reads only these
 * fields. See docs/guard.md.
 */
export type ProxyErrorScope =
  /** The request itself is at fault (a 400): never cools a key, never trips a breaker, never falls through a combo. */
  | 'request'
  /**
   * This target (provider + model) cannot serve any request: the model or the endpoint does not exist there (404).
   * Never retried, never cools a key or trips a breaker, but a combo falls through to its next target.
   */
  | 'target'
  /** One key is at fault (401/403, per-key 429, quota): rotate to another key. */
  | 'key'
  /** The provider as a whole is failing (5xx, timeouts, connection errors): breaker material, combo fallback. */
  | 'provider'
  /** The client went away; not anyone's failure. */
  | 'client'
  /** Switchyard itself (queue full, breaker open, no usable key, internal error). */
  | 'local';

export type ProxyErrorCode =
  | 'invalid_request'
  | 'invalid_json'
  | 'missing_model'
  | 'unknown_model'
  | 'payload_too_large'
  | 'unauthorized'
  | 'forbidden_host'
  | 'not_found'
  | 'method_not_allowed'
  | 'unsupported'
  | 'rate_limited'
  | 'quota_exhausted'
  | 'auth_failed'
  | 'permission_denied'
  | 'upstream_error'
  | 'upstream_unavailable'
  | 'overloaded'
  | 'timeout'
  | 'connection_failed'
  | 'queue_full'
  | 'circuit_open'
  | 'no_available_key'
  | 'client_aborted'
  | 'internal';

export interface ProxyErrorInit {
  code: ProxyErrorCode;
  status: number;
  message: string;
  scope: ProxyErrorScope;
  retryable?: boolean;
  /** How long the upstream asked us to wait, when it said so (retry-after, RetryInfo, "retry in Xs"). */
  retryAfterMs?: number;
  /** For quota exhaustion: when the quota resets (epoch ms), if known. */
  resetAt?: number;
  provider?: string;
  keyId?: string;
  /** The upstream's own error body (already secret-free: upstream bodies never contain our keys). */
  upstreamBody?: string;
  /** The upstream's own error type string, e.g. `overloaded_error`, `RESOURCE_EXHAUSTED`. */
  upstreamType?: string;
  cause?: unknown;
}

export class ProxyError extends Error {
  readonly code: ProxyErrorCode;
  readonly status: number;
  readonly scope: ProxyErrorScope;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly resetAt: number | undefined;
  readonly provider: string | undefined;
  readonly keyId: string | undefined;
  readonly upstreamBody: string | undefined;
  readonly upstreamType: string | undefined;

  constructor(init: ProxyErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ProxyError';
    this.code = init.code;
    this.status = init.status;
    this.scope = init.scope;
    this.retryable = init.retryable ?? false;
    this.retryAfterMs = init.retryAfterMs;
    this.resetAt = init.resetAt;
    this.provider = init.provider;
    this.keyId = init.keyId;
    this.upstreamBody = init.upstreamBody;
    this.upstreamType = init.upstreamType;
  }
}

export function isProxyError(value: unknown): value is ProxyError {
  return value instanceof ProxyError;
}

/** Shorthand for errors caused by the client's request (always scope `request`, never retried). */
export function requestError(code: ProxyErrorCode, status: number, message: string): ProxyError {
  return new ProxyError({ code, status, message, scope: 'request' });
}

/** Wraps anything thrown into a ProxyError without losing an existing classification. */
export function toProxyError(error: unknown, provider?: string): ProxyError {
  if (error instanceof ProxyError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProxyError({ code: 'internal', status: 500, message: `Internal error: ${message}`, scope: 'local', provider, cause: error });
}

/** The client went away (closed the connection, or aborted while sending). Not anyone's failure. */
export function clientAbortedError(providerId?: string, cause?: unknown, message = 'The client closed the connection'): ProxyError {
  return new ProxyError({ code: 'client_aborted', status: 499, scope: 'client', message, ...(providerId === undefined ? {} : { provider: providerId }), cause });
}

/**
 * A bug in Switchyard (something threw that is not a classified ProxyError, e.g. a TypeError in a codec): never
 * retried on another target, logged as an error, answered with a 500 in the caller's format.
 */
export function isInternalError(error: ProxyError): boolean {
  return error.code === 'internal';
}
