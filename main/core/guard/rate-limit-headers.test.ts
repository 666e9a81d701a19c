import { describe, expect, it } from 'vitest';
import { readRateLimitHints } from './rate-limit-headers.ts';

const now = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('readRateLimitHints', () => {
  it('reads Anthropic budgets with RFC 3339 resets, taking the tightest token budget', () => {
    const hints = readRateLimitHints(
      {
        'anthropic-ratelimit-requests-remaining': '3',
        'anthropic-ratelimit-requests-reset': '2026-01-01T12:00:20Z',
        'anthropic-ratelimit-tokens-remaining': '90000',
        'anthropic-ratelimit-tokens-reset': '2026-01-01T12:00:30Z',
        'anthropic-ratelimit-input-tokens-remaining': '5000',
        'anthropic-ratelimit-input-tokens-reset': '2026-01-01T12:00:10Z',
      },
      now,
    );
    expect(hints).toEqual({
      requests: { remaining: 3, resetAt: now + 20_000 },
      tokens: { remaining: 5000, resetAt: now + 10_000 },
    });
  });

  it('reads OpenAI budgets with Go-duration resets', () => {
    const hints = readRateLimitHints(
      {
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '6m0s',
        'x-ratelimit-remaining-tokens': '1200',
        'x-ratelimit-reset-tokens': '12ms',
      },
      now,
    );
    expect(hints).toEqual({ requests: { remaining: 0, resetAt: now + 360_000 }, tokens: { remaining: 1200, resetAt: now + 12 } });
  });

  it('ignores a remaining count without a usable reset, and absent headers', () => {
    expect(readRateLimitHints({ 'x-ratelimit-remaining-requests': '4' }, now)).toBeUndefined();
    expect(readRateLimitHints({ 'x-ratelimit-remaining-requests': '4', 'x-ratelimit-reset-requests': 'soon' }, now)).toBeUndefined();
    expect(readRateLimitHints({ 'content-type': 'application/json' }, now)).toBeUndefined();
    expect(readRateLimitHints(undefined, now)).toBeUndefined();
  });

  it('accepts array header values (node:http style)', () => {
    const hints = readRateLimitHints({ 'x-ratelimit-remaining-requests': ['2'], 'x-ratelimit-reset-requests': ['1s'] }, now);
    expect(hints?.requests).toEqual({ remaining: 2, resetAt: now + 1000 });
  });
});
