import { describe, expect, it } from 'vitest';
import { ledgerStatusViewSchema, usageRequestViewSchema } from './usage-views.ts';

const request = {
  id: 1, startedAt: 0, durationMs: 10, ttfbMs: null, clientFormat: 'anthropic', requestedModel: 'm', routeKind: 'direct', route: null,
  provider: 'p', model: 'm', keyId: 'k', accountId: null, attempts: 1, outcome: 'ok', errorCode: null, status: 200, stream: false,
  inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, estimated: false, costBasis: 'unknown',
  costUsd: null, priceVersion: null, upstreamRateLimited: 0, upstreamFailures: 0, keyRotations: 0, fallbacks: 0,
  rateLimitsRetried: 0, rateLimitsRotated: 0, rateLimitsFellBack: 0,
};

describe('usage views', () => {
  it('a request view holds ids only: a secret (or any unlisted field) fails validation', () => {
    expect(usageRequestViewSchema.parse(request)).toEqual(request);
    expect(() => usageRequestViewSchema.parse({ ...request, secret: 'sk-fake-not-a-real-key' })).toThrow();
    expect(() => usageRequestViewSchema.parse({ ...request, headers: {} })).toThrow();
  });

  it('the ledger status has a health from the known list', () => {
    const status = { health: 'locked', message: 'locked', path: '/tmp/usage.db', queued: 2, recorded: 0, dropped: 0, quarantinedFile: null, usedBytes: null };
    expect(ledgerStatusViewSchema.parse(status)).toEqual(status);
    expect(() => ledgerStatusViewSchema.parse({ ...status, health: 'fine' })).toThrow();
  });
});
