import { describe, expect, it } from 'vitest';
import { LearnedBudget } from './learned-budget.ts';

describe('LearnedBudget', () => {
  it('spends the remaining requests and then waits for the reset', () => {
    const budget = new LearnedBudget();
    budget.observe({ requests: { remaining: 2, resetAt: 10_000 } }, 0);
    expect(budget.nextAllowedAt(0, 0)).toBe(0);
    budget.record(0, 0);
    expect(budget.nextAllowedAt(0, 0)).toBe(0);
    budget.record(0, 0);
    expect(budget.nextAllowedAt(0, 0)).toBe(10_000);
    // After the reset the learned budget no longer applies.
    expect(budget.nextAllowedAt(10_000, 0)).toBe(10_000);
    budget.record(10_000, 0);
    expect(budget.nextAllowedAt(10_001, 0)).toBe(10_001);
  });

  it('counts sends still in flight against the remaining budget', () => {
    const budget = new LearnedBudget();
    budget.observe({ requests: { remaining: 2, resetAt: 5_000 } }, 2);
    expect(budget.nextAllowedAt(0, 0)).toBe(5_000);
  });

  it('waits for the token reset when the request would not fit', () => {
    const budget = new LearnedBudget();
    budget.observe({ tokens: { remaining: 1000, resetAt: 3_000 } }, 0);
    expect(budget.nextAllowedAt(0, 800)).toBe(0);
    budget.record(0, 800);
    expect(budget.nextAllowedAt(0, 300)).toBe(3_000);
    expect(budget.snapshot(0)).toEqual({ tokens: { remaining: 200, resetAt: 3_000 } });
    expect(budget.snapshot(3_000)).toBeUndefined();
  });
});
