import { describe, expect, it } from 'vitest';
import { averageRateSinceWindowStart, defaultWarnWithinMs, forecastQuota } from './quota-forecast.ts';

// The clock is a number handed in: no timers, no waiting.
const now = Date.UTC(2026, 11, 3, 12, 0, 0);
const minute = 60_000;
const hour = 3_600_000;

describe('forecastQuota', () => {
  it('a rolling daily limit: 200 of 250 used at 30 an hour runs out in 100 minutes, inside the warning time', () => {
    const forecast = forecastQuota({ used: 200, limit: 250, resetKind: 'rolling', resetAt: now + 5 * hour }, 30, now);
    expect(forecast).toEqual({ runsOutAt: now + 100 * minute, state: 'soon' });
  });

  it('far away is ok, but still says when', () => {
    expect(forecastQuota({ used: 10, limit: 250, resetKind: 'rolling', resetAt: null }, 10, now)).toEqual({ runsOutAt: now + 24 * hour, state: 'ok' });
  });

  it('a fixed quota that resets before it would run out does not run out', () => {
    const meter = { used: 90, limit: 100, resetKind: 'fixed' as const, resetAt: now + 30 * minute };
    expect(forecastQuota(meter, 10, now)).toEqual({ runsOutAt: null, state: 'ok' });
    // ...but one that runs out first warns, with the moment it does.
    expect(forecastQuota({ ...meter, resetAt: now + 3 * hour }, 10, now)).toEqual({ runsOutAt: now + hour, state: 'soon' });
  });

  it('used up is out now; no rate or a zero rate never runs out', () => {
    expect(forecastQuota({ used: 250, limit: 250, resetKind: 'rolling', resetAt: null }, 0, now)).toEqual({ runsOutAt: now, state: 'out' });
    expect(forecastQuota({ used: 300, limit: 250, resetKind: 'fixed', resetAt: now + hour }, null, now)).toEqual({ runsOutAt: now, state: 'out' });
    expect(forecastQuota({ used: 249, limit: 250, resetKind: 'unknown', resetAt: null }, null, now)).toEqual({ runsOutAt: null, state: 'ok' });
    expect(forecastQuota({ used: 249, limit: 250, resetKind: 'unknown', resetAt: null }, 0, now)).toEqual({ runsOutAt: null, state: 'ok' });
  });

  it('the warning time is a parameter: exactly at it is soon, a millisecond past is ok', () => {
    const meter = { used: 0, limit: 2, resetKind: 'rolling' as const, resetAt: null };
    expect(forecastQuota(meter, 1, now).state).toBe('soon'); // 2 h away, the default
    expect(defaultWarnWithinMs).toBe(2 * hour);
    expect(forecastQuota(meter, 1, now, 2 * hour - 1).state).toBe('ok');
  });
});

describe('averageRateSinceWindowStart', () => {
  it("a Codex 5-hour window 40% used, 2 hours in, is 20% an hour; a month's allowance likewise", () => {
    expect(averageRateSinceWindowStart(40, now + 3 * hour, 5 * hour, now)).toBe(20);
    const month = 30 * 24 * hour;
    expect(averageRateSinceWindowStart(150, now + 20 * 24 * hour, month, now)).toBeCloseTo(150 / (10 * 24), 10);
  });

  it('unknown without a reset or a length, and in the first ten minutes of a window or past its end', () => {
    expect(averageRateSinceWindowStart(40, undefined, 5 * hour, now)).toBeNull();
    expect(averageRateSinceWindowStart(40, now + hour, undefined, now)).toBeNull();
    expect(averageRateSinceWindowStart(5, now + 5 * hour - 5 * minute, 5 * hour, now)).toBeNull();
    expect(averageRateSinceWindowStart(5, now - minute, 5 * hour, now)).toBeNull();
  });
});
