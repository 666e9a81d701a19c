import { describe, expect, it } from 'vitest';
import { geminiCliDriver, quotaFromBuckets } from './gemini-cli-driver.ts';

const now = Date.UTC(2026, 5, 1, 12);
const inSixHours = new Date(now + 6 * 3_600_000).toISOString();

describe('the gemini-cli account kind', () => {
  it('says before a sign-in that it needs the OAuth client secret, and where that comes from; with one nothing blocks', () => {
    const context = { http: {} as never, clientId: 'fake-client', now: () => now };
    const blocker = geminiCliDriver.signInBlocker?.(context);
    expect(blocker?.message).toMatch(/oauth\.clientSecret[\s\S]*packages\/core\/src\/code_assist\/oauth2\.ts/u);
    expect(geminiCliDriver.signInBlocker?.({ ...context, clientSecret: 'fake.secret' })).toBeUndefined();
  });

  it('turns retrieveUserQuota buckets into per-model windows; one spent bucket does not take the whole account out', () => {
    const quota = quotaFromBuckets(
      [
        { modelId: 'gemini-2.5-pro', tokenType: 'REQUESTS', remainingFraction: 0, remainingAmount: '0', resetTime: inSixHours },
        { modelId: 'gemini-2.5-flash', tokenType: 'REQUESTS', remainingFraction: 0.25 },
      ],
      now,
    );
    expect(quota).toEqual({
      windows: [
        { name: 'gemini-2.5-pro (requests)', usedPercent: 100, resetAt: now + 6 * 3_600_000, remaining: 0 },
        { name: 'gemini-2.5-flash (requests)', usedPercent: 75 },
      ],
      readAt: now,
    });
  });

  it('every bucket spent: the account is out until the earliest reset', () => {
    const quota = quotaFromBuckets([{ modelId: 'a', remainingFraction: 0, resetTime: inSixHours }, { modelId: 'b', remainingFraction: 0, resetTime: new Date(now + 3_600_000).toISOString() }], now);
    expect(quota.exhaustedUntil).toBe(now + 3_600_000);
    expect(quotaFromBuckets([], now).exhaustedUntil).toBeUndefined();
  });

  it('sends the access token and the stored project; quotas are per model', () => {
    expect(geminiCliDriver.credential({ grant: '1//fake-grant', accessToken: 'ya29.fake', project: 'my-project-123' })).toEqual({ token: 'ya29.fake', headers: {}, project: 'my-project-123' });
    expect(geminiCliDriver.quotaPerModel).toBe(true);
    expect(geminiCliDriver.defaultClientId).toMatch(/\.apps\.googleusercontent\.com$/);
  });
});
