import { describe, expect, it } from 'vitest';
import { describeWait } from './describe-wait.ts';

describe('describeWait', () => {
  it.each([
    [-5_000, 'now'],
    [0, 'now'],
    [400, 'in 1 s'],
    [59_000, 'in 59 s'],
    [60_000, 'in 1 min'],
    [61_000, 'in 2 min'],
    [3_600_000, 'in 1 h'],
    [47 * 3_600_000, 'in 47 h'],
    [72 * 3_600_000, 'in 3 days'],
  ])('%d ms reads "%s"', (delta, text) => {
    expect(describeWait(10_000_000 + delta, 10_000_000)).toBe(text);
  });
});
