import { ProxyError } from '../errors/proxy-error.ts';

// Errors the guard produces itself (scope 'local'): refusals the client can act on, rendered in the caller's
// format by the server with a retry-after header when retryAfterMs is set.

function seconds(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))} s`;
}

export function queueFullError(providerId: string, maxLength: number, retryAfterMs: number): ProxyError {
  return new ProxyError({
    code: 'queue_full',
    status: 429,
    scope: 'local',
    retryable: true,
    retryAfterMs,
    provider: providerId,
    message: `${providerId}: Switchyard's queue for this provider is full (${maxLength} requests waiting); retry in ${seconds(retryAfterMs)}`,
  });
}

export function waitExceededError(providerId: string, maxWaitMs: number, retryAfterMs: number): ProxyError {
  return new ProxyError({
    code: 'rate_limited',
    status: 429,
    scope: 'local',
    retryable: true,
    retryAfterMs,
    provider: providerId,
    message: `${providerId}: waited ${seconds(maxWaitMs)} in Switchyard's queue without a free slot within the configured limits; retry in ${seconds(retryAfterMs)}`,
  });
}

export function circuitOpenError(providerId: string, retryAfterMs: number | undefined): ProxyError {
  return new ProxyError({
    code: 'circuit_open',
    status: 503,
    scope: 'local',
    retryable: true,
    retryAfterMs,
    provider: providerId,
    message: `${providerId}: paused after repeated provider failures (circuit breaker open)${retryAfterMs ? `; next try in ${seconds(retryAfterMs)}` : ''}`,
  });
}

export function noUsableKeyError(providerId: string, detail: string, retryAfterMs: number | undefined): ProxyError {
  return new ProxyError({
    code: 'no_available_key',
    status: 503,
    scope: 'local',
    retryable: retryAfterMs !== undefined,
    retryAfterMs,
    provider: providerId,
    message: `${providerId}: no usable key (${detail})${retryAfterMs !== undefined ? `; one is free again in ${seconds(retryAfterMs)}` : ''}`,
  });
}

export function unknownProviderError(providerId: string): ProxyError {
  return new ProxyError({
    code: 'no_available_key',
    status: 503,
    scope: 'local',
    provider: providerId,
    message: `${providerId}: this provider is not configured in the guard`,
  });
}
