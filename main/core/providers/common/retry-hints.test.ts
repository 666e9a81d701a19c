import { describe, expect, it } from 'vitest';
import { nextPacificMidnight, parseProtobufDuration, retryAfterFromHeaders, retryDelayFromMessage } from './retry-hints.ts';

const now = Date.UTC(2026, 10, 22, 12, 0, 0);

describe('retry hints', () => {
  it('reads retry-after-ms first, then retry-after in seconds or as an HTTP date', () => {
    expect(retryAfterFromHeaders({ 'retry-after-ms': '1500', 'retry-after': '9' }, now)).toBe(1500);
    expect(retryAfterFromHeaders({ 'retry-after': '2' }, now)).toBe(2000);
    expect(retryAfterFromHeaders({ 'retry-after': '0.5' }, now)).toBe(500);
    expect(retryAfterFromHeaders({ 'retry-after': new Date(now + 30_000).toUTCString() }, now)).toBe(30_000);
    expect(retryAfterFromHeaders({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterFromHeaders({}, now)).toBeUndefined();
  });

  it('reads Google RetryInfo durations, fractional too', () => {
    expect(parseProtobufDuration('54s')).toBe(54_000);
    expect(parseProtobufDuration('26.66s')).toBe(26_660);
    expect(parseProtobufDuration('0.847s')).toBe(847);
    expect(parseProtobufDuration('54')).toBeUndefined();
    expect(parseProtobufDuration(54)).toBeUndefined();
  });

  it('finds "retry in Xs" in error messages (Gemini, OpenAI wording)', () => {
    expect(retryDelayFromMessage('You exceeded your current quota. Please retry in 54.88s.')).toBe(54_880);
    expect(retryDelayFromMessage('Rate limit reached. Please try again in 1m30s.')).toBe(90_000);
    expect(retryDelayFromMessage('Please try again in 120ms')).toBe(120);
    expect(retryDelayFromMessage('Something else went wrong')).toBeUndefined();
  });

  it('puts Gemini per-day resets at the next midnight in Los Angeles', () => {
    // 12:00 UTC on 22 Nov 2026 is 04:00 PST (UTC-8): midnight Pacific is 08:00 UTC on 23 Nov.
    expect(new Date(nextPacificMidnight(now)).toISOString()).toBe('2026-11-23T08:00:00.000Z');
    // In summer (PDT, UTC-7) midnight is 07:00 UTC.
    expect(new Date(nextPacificMidnight(Date.UTC(2026, 6, 1, 12, 0, 0))).toISOString()).toBe('2026-07-02T07:00:00.000Z');
  });
});
