import { describe, expect, it } from 'vitest';
import { WebSessionCodes } from './web-session-codes.ts';

describe('WebSessionCodes', () => {
  it('redeems a code once, within its lifetime, and nothing else', () => {
    let now = 1_000;
    const codes = new WebSessionCodes({ now: () => now, ttlMs: 60_000 });
    const first = codes.issue();
    const second = codes.issue();
    expect(codes.redeem('not-a-code')).toBe(false);
    expect(codes.redeem(first)).toBe(true);
    expect(codes.redeem(first)).toBe(false);
    now += 60_000;
    expect(codes.redeem(second)).toBe(false);
  });
});
