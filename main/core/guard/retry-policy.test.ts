import { describe, expect, it } from 'vitest';
import { ProxyError } from '../errors/proxy-error.ts';
import { backoffDelay, decideRetry, defaultCooldown } from './retry-policy.ts';

const settings = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 30_000 };

function error(init: Partial<ConstructorParameters<typeof ProxyError>[0]>): ProxyError {
  return new ProxyError({ code: 'upstream_error', status: 500, message: 'x', scope: 'provider', retryable: true, ...init });
}

describe('retry policy', () => {
  it('backs off exponentially with jitter, capped', () => {
    expect(backoffDelay(1, settings, () => 0)).toBe(250);
    expect(backoffDelay(1, settings, () => 1)).toBe(500);
    expect(backoffDelay(3, settings, () => 1)).toBe(2000);
    expect(backoffDelay(10, settings, () => 1)).toBe(8000);
  });

  it('doubles the default cooldown after 429s without a hint', () => {
    expect(defaultCooldown(0, settings)).toBe(1000);
    expect(defaultCooldown(2, settings)).toBe(4000);
    expect(defaultCooldown(10, settings)).toBe(8000);
  });

  it('never retries a request at fault, a local refusal, a client abort or a non-retryable error', () => {
    expect(decideRetry(error({ scope: 'request', status: 400, retryable: false }), 1, settings, Math.random)).toEqual({ kind: 'stop' });
    expect(decideRetry(error({ scope: 'local', status: 429, code: 'queue_full' }), 1, settings, Math.random)).toEqual({ kind: 'stop' });
    expect(decideRetry(error({ scope: 'client', status: 499 }), 1, settings, Math.random)).toEqual({ kind: 'stop' });
    expect(decideRetry(error({ retryable: false }), 1, settings, Math.random)).toEqual({ kind: 'stop' });
  });

  it('rotates at once on key failures and stops when the attempts are spent', () => {
    const rateLimited = error({ scope: 'key', status: 429, code: 'rate_limited', retryAfterMs: 2000 });
    expect(decideRetry(rateLimited, 1, settings, Math.random)).toEqual({ kind: 'retry', delayMs: 0 });
    expect(decideRetry(rateLimited, 3, settings, Math.random)).toEqual({ kind: 'stop' });
  });

  it('honours a provider hint up to maxRetryAfterMs and fails over at once beyond it', () => {
    expect(decideRetry(error({ status: 503, retryAfterMs: 3000 }), 1, settings, Math.random)).toEqual({ kind: 'retry', delayMs: 3000 });
    expect(decideRetry(error({ status: 503, retryAfterMs: 60_000 }), 1, settings, Math.random)).toEqual({ kind: 'stop' });
    expect(decideRetry(error({ status: 502 }), 2, settings, () => 0)).toEqual({ kind: 'retry', delayMs: 500 });
  });
});
