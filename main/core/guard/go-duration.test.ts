import { describe, expect, it } from 'vitest';
import { parseGoDuration } from './go-duration.ts';

describe('parseGoDuration', () => {
  it.each([
    ['12ms', 12],
    ['20s', 20_000],
    ['6m0s', 360_000],
    ['1h2m3.5s', 3_723_500],
    ['0.5s', 500],
    ['1.5', 1500],
    ['250us', 1],
    // Go writes microseconds with the micro sign (U+00B5) and also accepts the Greek mu (U+03BC).
    ['1s500\u00b5s', 1001],
    ['1500\u03bcs', 2],
  ])('%s -> %d ms', (text, expected) => {
    expect(parseGoDuration(text)).toBe(expected);
  });

  it.each(['', 'soon', '5 minutes', '6m0', undefined])('rejects %s', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});
