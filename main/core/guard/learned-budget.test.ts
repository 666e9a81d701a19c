import { describe, expect, it } from 'vitest';
import { LearnedBudget } from './learned-budget.ts';

describe('LearnedBudget', () => {
  it('spends the remaining requests and then waits for the reset', () => {
    const budget = new LearnedBudget();
    budget.observe({ requests: { remaining: 2, resetAt: 10_000 } }, 0, 0);
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
    budget.observe({ requests: { remaining: 2, resetAt: 5_000 } }, 2, 0);
    expect(budget.nextAllowedAt(0, 0)).toBe(5_000);
  });

  it('waits for the token reset when the request would not fit', () => {
    const budget = new LearnedBudget();
    budget.observe({ tokens: { remaining: 1000, resetAt: 3_000 } }, 0, 0);
    expect(budget.nextAllowedAt(0, 800)).toBe(0);
    budget.record(0, 800);
    expect(budget.nextAllowedAt(0, 300)).toBe(3_000);
    expect(budget.snapshot(0)).toEqual({ tokens: { remaining: 200, resetAt: 3_000 } });
    expect(budget.snapshot(3_000)).toBeUndefined();
  });

  it('keeps the lowest remaining count of one window when replies arrive out of order', () => {
    const budget = new LearnedBudget();
    budget.observe({ requests: { remaining: 0, resetAt: 10_000 } }, 0, 100);
    budget.observe({ requests: { remaining: 2, resetAt: 10_300 } }, 0, 200);
    expect(budget.nextAllowedAt(200, 0)).toBe(10_000);
    // A clearly later reset is a new window: it replaces the old one.
    budget.observe({ requests: { remaining: 3, resetAt: 20_000 } }, 0, 10_050);
    expect(budget.nextAllowedAt(10_050, 0)).toBe(10_050);
  });

  it('starts the next window with the whole budget when the provider gave its limit', () => {
    const budget = new LearnedBudget();
    budget.observe({ requests: { remaining: 0, resetAt: 10_000, limit: 2 } }, 0, 0);
    expect(budget.nextAllowedAt(0, 0)).toBe(10_000);
    budget.record(10_000, 0);
    budget.record(10_000, 0);
    // The window length is guessed from the last one (10 s).
    expect(budget.nextAllowedAt(10_000, 0)).toBe(20_000);
    expect(budget.snapshot(10_000)).toEqual({ requests: { remaining: 0, resetAt: 20_000, limit: 2 } });
  });

  it('forgets a budget at its reset when the limit is unknown', () => {
    const budget = new LearnedBudget();
    budget.observe({ requests: { remaining: 0, resetAt: 1_000 } }, 0, 0);
    expect(budget.snapshot(1_000)).toBeUndefined();
    expect(budget.nextAllowedAt(1_000, 0)).toBe(1_000);
  });
});
