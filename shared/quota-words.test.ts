import { describe, expect, it } from 'vitest';
import type { QuotaMeterView } from './quota-views.ts';
import { forecastSentence, quotaWarnings, resetWords } from './quota-words.ts';

const now = Date.UTC(2026, 11, 3, 20, 0, 0); // 12:00 in Los Angeles (PST, UTC-8)
const hour = 3_600_000;
const utc = { timeZone: 'UTC' };

function meter(overrides: Partial<QuotaMeterView>): QuotaMeterView {
  return { name: 'daily limit', source: 'guard', unit: 'requests', used: 200, limit: 250, resetKind: 'rolling', resetAt: null, resetTimeZone: null, windowMs: 86_400_000, ratePerHour: 30, runsOutAt: null, state: 'ok', ...overrides };
}

describe('quota words', () => {
  it('says when it runs out and when it resets, midnight Pacific in Pacific time', () => {
    const daily = meter({ runsOutAt: now + 100 * 60_000, state: 'soon', resetKind: 'fixed', resetAt: Date.UTC(2026, 11, 4, 8, 0, 0), resetTimeZone: 'America/Los_Angeles' });
    expect(forecastSentence('key-2', daily, now, utc)).toBe('key-2 reaches its daily limit around 21:40; resets 00:00 Pacific');
  });

  it('a rolling window frees up as requests age out; a far reset names the day', () => {
    expect(resetWords(meter({ resetAt: now + 3 * hour }), now, utc)).toBe('frees up from 23:00 (each request counts for 24 h)');
    expect(resetWords(meter({ resetAt: null, windowMs: 3_600_000 }), now, utc)).toBe('each request counts for 1 h');
    expect(resetWords(meter({ resetKind: 'fixed', resetAt: Date.UTC(2027, 0, 1) }), now, utc)).toBe('resets 1 Jan, 00:00');
    expect(resetWords(meter({ resetKind: 'unknown' }), now, utc)).toBe('reset time not known');
  });

  it('used up, or not running out; percent windows say a percentage', () => {
    expect(forecastSentence('octo', meter({ name: 'primary (5 h)', unit: 'percent', used: 100, limit: 100, state: 'out', resetKind: 'fixed', resetAt: now + hour }), now, utc)).toBe('octo has used up its primary (5 h); resets 21:00');
    expect(forecastSentence('key-1', meter({}), now, utc)).toBe('key-1: 200 of 250 used of its daily limit, not running out at the current rate; each request counts for 24 h');
  });

  it('warnings are the meters that are soon or out, each as its sentence', () => {
    const credentials = [
      { provider: 'gemini', providerName: 'Gemini', keyId: 'key-1', accountId: null, label: 'key-1', meters: [meter({})] },
      { provider: 'gemini', providerName: 'Gemini', keyId: 'key-2', accountId: null, label: 'key-2', meters: [meter({ state: 'soon', runsOutAt: now + hour }), meter({ name: 'hourly limit', state: 'out', windowMs: hour })] },
    ];
    expect(quotaWarnings(credentials, now, utc).map((warning) => warning.sentence)).toEqual([
      'key-2 reaches its daily limit around 21:00; each request counts for 24 h',
      'key-2 has used up its hourly limit; each request counts for 1 h',
    ]);
  });
});
