import { describe, expect, it } from 'vitest';
import type { BreakerState } from './circuit-breaker.ts';
import { CircuitBreaker } from './circuit-breaker.ts';

const settings = { failureThreshold: 3, windowMs: 10_000, cooldownMs: 5_000, halfOpenProbes: 2 };

function breaker() {
  const changes: Array<[BreakerState, number | undefined]> = [];
  return { changes, breaker: new CircuitBreaker(settings, (state, until) => changes.push([state, until])) };
}

describe('CircuitBreaker', () => {
  it('opens after the threshold of failures within the window', () => {
    const { breaker: subject, changes } = breaker();
    const closed = { probe: false };
    subject.failure(closed, 0);
    subject.failure(closed, 1000);
    expect(subject.state(1000)).toBe('closed');
    subject.failure(closed, 2000);
    expect(subject.state(2000)).toBe('open');
    expect(changes).toEqual([['open', 7000]]);
    expect(subject.tryPass(2000)).toBeUndefined();
    expect(subject.passableAt(2000)).toBe(7000);
  });

  it('forgets failures older than the window', () => {
    const { breaker: subject } = breaker();
    const closed = { probe: false };
    subject.failure(closed, 0);
    subject.failure(closed, 1000);
    subject.failure(closed, 20_000);
    expect(subject.state(20_000)).toBe('closed');
  });

  it('half-opens after the cooldown, lets one probe at a time, and closes after enough successful probes', () => {
    const { breaker: subject, changes } = breaker();
    for (let index = 0; index < 3; index += 1) subject.failure({ probe: false }, 0);
    expect(subject.state(5000)).toBe('half-open');
    const probe = subject.tryPass(5000);
    expect(probe).toEqual({ probe: true });
    expect(subject.tryPass(5000)).toBeUndefined();
    expect(subject.passableAt(5000)).toBe(Number.POSITIVE_INFINITY);
    subject.success(probe!, 5100);
    expect(subject.state(5100)).toBe('half-open');
    const second = subject.tryPass(5100);
    subject.success(second!, 5200);
    expect(subject.state(5200)).toBe('closed');
    expect(changes.map(([state]) => state)).toEqual(['open', 'half-open', 'closed']);
  });

  it('opens again when a probe fails', () => {
    const { breaker: subject } = breaker();
    for (let index = 0; index < 3; index += 1) subject.failure({ probe: false }, 0);
    const probe = subject.tryPass(5000)!;
    subject.failure(probe, 5500);
    expect(subject.state(5500)).toBe('open');
    expect(subject.passableAt(5500)).toBe(10_500);
  });

  it('hands a probe back without deciding when the request said nothing about the provider', () => {
    const { breaker: subject } = breaker();
    for (let index = 0; index < 3; index += 1) subject.failure({ probe: false }, 0);
    const probe = subject.tryPass(5000)!;
    subject.release(probe);
    expect(subject.state(5000)).toBe('half-open');
    expect(subject.tryPass(5000)).toEqual({ probe: true });
  });
});
