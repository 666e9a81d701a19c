import { describe, expect, it } from 'vitest';
import type { ResolvedLimits } from './guard-settings.ts';
import { RateLimiter } from './rate-limiter.ts';

const none: ResolvedLimits = { maxConcurrent: 10, minDelayMs: 0, burst: undefined, perMinute: undefined, perHour: undefined, perDay: undefined, tokensPerMinute: undefined };

/** A token estimate that counts how often it was asked (the real one walks the request body). */
function estimate(tokens: number) {
  const counted = { calls: 0 };
  return { counted, tokens: () => (counted.calls++, tokens) };
}

describe('RateLimiter token windows', () => {
  it('holds a send back while the rolling minute has no room for its estimated tokens', () => {
    const limiter = new RateLimiter({ ...none, tokensPerMinute: 1_000 });
    const big = estimate(800);
    expect(limiter.nextAllowedAt(0, big.tokens)).toBe(0);
    limiter.record(0, big.tokens);
    expect(limiter.nextAllowedAt(1_000, estimate(300).tokens)).toBeGreaterThan(1_000);
    expect(limiter.nextAllowedAt(1_000, estimate(200).tokens)).toBe(1_000);
    expect(limiter.usage(1_000)).toContainEqual(expect.objectContaining({ name: 'tokensPerMinute', used: 800, limit: 1_000 }));
  });

  it('never computes the estimate when nothing counts tokens', () => {
    const limiter = new RateLimiter({ ...none, perMinute: 100 });
    const request = estimate(5_000);
    limiter.nextAllowedAt(0, request.tokens);
    limiter.record(0, request.tokens);
    expect(request.counted.calls).toBe(0);
  });

  it('computes it once a provider announced a token budget in its headers', () => {
    const limiter = new RateLimiter(none);
    limiter.learned.observe({ tokens: { remaining: 1_000, resetAt: 60_000 } }, 0, 0);
    const request = estimate(900);
    expect(limiter.nextAllowedAt(0, request.tokens)).toBe(0);
    limiter.record(0, request.tokens);
    expect(request.counted.calls).toBe(2);
    expect(limiter.nextAllowedAt(1, estimate(200).tokens)).toBe(60_000);
  });
});
