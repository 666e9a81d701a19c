import { describe, expect, it } from 'vitest';
import { FailedKeyThrottle } from './failed-key-throttle.ts';

describe('FailedKeyThrottle', () => {
  it('lets a few mistakes through, then doubles the wait up to 4 s, per address', () => {
    let now = 0;
    const throttle = new FailedKeyThrottle({ now: () => now });
    const waits = Array.from({ length: 12 }, () => throttle.failed('192.0.2.1'));
    expect(waits).toEqual([0, 0, 0, 0, 0, 250, 500, 1_000, 2_000, 4_000, 4_000, 4_000]);
    expect(throttle.failed('192.0.2.2')).toBe(0);
    for (let attempt = 0; attempt < 20; attempt++) expect(throttle.failed('127.0.0.1') + throttle.failed('::1') + throttle.failed('::ffff:127.0.0.1')).toBe(0);
    now += 61_000;
    expect(throttle.failed('192.0.2.1')).toBe(0);
  });

  it('starts again after a right key, and forgets the oldest address past its bound', () => {
    const throttle = new FailedKeyThrottle({ now: () => 0, free: 1, maxAddresses: 2 });
    expect([throttle.failed('a'), throttle.failed('a')]).toEqual([0, 250]);
    throttle.succeeded('a');
    expect(throttle.failed('a')).toBe(0);
    throttle.failed('b');
    throttle.failed('c');
    // "a" was the oldest and is forgotten: its next mistake is free again.
    expect(throttle.failed('a')).toBe(0);
  });
});
