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
  ])('%s -> %d ms', (text, expected) => {
    expect(parseGoDuration(text)).toBe(expected);
  });

  it.each(['', 'soon', '5 minutes', '6m0', undefined])('rejects %s', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});
