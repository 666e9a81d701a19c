// The Kiro driver's pure decisions: AWS's two spellings of an error, usage limits with a free trial on top, and a
// registered client past its expiry meaning "sign in again" before AWS is even asked.
import { describe, expect, it } from 'vitest';
import { GrantRefusedError } from '../account-kind.ts';
import type { KindContext } from '../account-kind.ts';
import { kiroDriver } from './kiro-driver.ts';
import { awsErrorCode } from './kiro-oidc.ts';
import { parseUsageLimits } from './kiro-usage-limits.ts';

const answer = (body: unknown, headers: Record<string, string> = {}) => ({ status: 400, headers, text: JSON.stringify(body), body });

describe('the Kiro account kind', () => {
  it('reads the error from the body, the __type or the x-amzn-errortype header alike', () => {
    expect(awsErrorCode(answer({ error: 'authorization_pending' }))).toBe('authorization_pending');
    expect(awsErrorCode(answer({ __type: 'com.amazonaws.ssooidc#SlowDownException' }))).toBe('slow_down');
    expect(awsErrorCode(answer({}, { 'x-amzn-errortype': 'ExpiredTokenException:http://internal.amazon.com/coral/com.amazonaws.ssooidc/' }))).toBe('expired_token');
    expect(awsErrorCode(answer({ message: 'no code' }))).toBeUndefined();
  });

  it('adds an active free trial to the limit, and is out only when both are spent', () => {
    const now = Date.UTC(2026, 11, 3);
    const limits = parseUsageLimits(
      {
        usageBreakdownList: [{ resourceType: 'CREDIT', currentUsageWithPrecision: 50, usageLimitWithPrecision: 50, freeTrialInfo: { freeTrialStatus: 'ACTIVE', currentUsageWithPrecision: 100, usageLimitWithPrecision: 500 } }],
        nextDateReset: Date.UTC(2027, 0, 1) / 1000,
        subscriptionInfo: { subscriptionTitle: 'KIRO FREE' },
        userInfo: { email: 'x.fake@example.com', userId: 'user-fake-x' },
      },
      now,
    );
    expect(limits).toMatchObject({ email: 'x.fake@example.com', userId: 'user-fake-x', plan: 'KIRO FREE' });
    expect(limits.quota!.windows).toEqual([{ name: 'credit (with free trial)', usedPercent: 27.27272727272727, remaining: 400, entitlement: 550, resetAt: Date.UTC(2027, 0, 1) }]);
    expect(limits.quota!.exhaustedUntil).toBeUndefined();
    const spent = parseUsageLimits({ usageBreakdownList: [{ resourceType: 'CREDIT', currentUsageWithPrecision: 50, usageLimitWithPrecision: 50 }], nextDateReset: '2027-01-01T00:00:00Z' }, now);
    expect(spent.quota!.exhaustedUntil).toBe(Date.UTC(2027, 0, 1));
  });

  it('a registered client past its expiry means signing in again, without asking AWS', async () => {
    const context = { now: () => Date.UTC(2026, 11, 3), clientId: 'x', http: { upstream: { send: () => Promise.reject(new Error('must not be called')) } } } as unknown as KindContext;
    const tokens = { grant: 'aor-fake-grant', oauthClient: { clientId: 'c', clientSecret: 'fake-secret', expiresAt: Date.UTC(2026, 10, 1), region: 'us-east-1' } };
    await expect(kiroDriver.refresh(tokens, context)).rejects.toThrow(GrantRefusedError);
    await expect(kiroDriver.refresh(tokens, context)).rejects.toThrow(/expired on 2026-11-01; signing in again registers a new one/);
    await expect(kiroDriver.refresh({ grant: 'aor-fake-grant' }, context)).rejects.toThrow(/no registered AWS sign-in client/);
  });
});
