import { describe, expect, it } from 'vitest';
import { Pacer, pacingInterval } from './pacer.ts';

describe('Pacer', () => {
  it('spaces sends by the interval when burst is 1', () => {
    const pacer = new Pacer(250, 1);
    expect(pacer.nextAllowedAt(1000)).toBe(1000);
    pacer.record(1000);
    expect(pacer.nextAllowedAt(1000)).toBe(1250);
    expect(pacer.nextAllowedAt(1249)).toBe(1250);
    pacer.record(1250);
    expect(pacer.nextAllowedAt(1300)).toBe(1500);
  });

  it('lets a burst leave back to back, then paces', () => {
    const pacer = new Pacer(100, 3);
    for (let index = 0; index < 3; index += 1) {
      expect(pacer.nextAllowedAt(0)).toBe(0);
      pacer.record(0);
    }
    expect(pacer.nextAllowedAt(0)).toBe(100);
    pacer.record(100);
    expect(pacer.nextAllowedAt(100)).toBe(200);
  });

  it('refills the burst after a quiet period', () => {
    const pacer = new Pacer(100, 2);
    pacer.record(0);
    pacer.record(0);
    expect(pacer.nextAllowedAt(0)).toBe(100);
    // Long idle: both burst slots are back.
    expect(pacer.nextAllowedAt(10_000)).toBe(10_000);
    pacer.record(10_000);
    expect(pacer.nextAllowedAt(10_000)).toBe(10_000);
  });

  it('does nothing with a zero interval', () => {
    const pacer = new Pacer(0, 1);
    pacer.record(5);
    pacer.record(5);
    expect(pacer.nextAllowedAt(5)).toBe(5);
  });

  it('keeps its history across a reconfigure', () => {
    const pacer = new Pacer(1000, 1);
    pacer.record(0);
    pacer.reconfigure(500, 1);
    expect(pacer.nextAllowedAt(0)).toBe(1000);
  });

  it('derives the spacing from minDelayMs, or from burst + perMinute', () => {
    expect(pacingInterval({ minDelayMs: 250, burst: undefined, perMinute: 10 })).toBe(250);
    expect(pacingInterval({ minDelayMs: 0, burst: 5, perMinute: 60 })).toBe(1000);
    expect(pacingInterval({ minDelayMs: 0, burst: undefined, perMinute: 60 })).toBe(0);
  });
});
