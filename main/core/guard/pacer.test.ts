import { describe, expect, it } from 'vitest';
import { Pacer, pacingInterval } from './pacer.ts';

/** A send admitted at `at` that went out at once (a warm connection). */
function sendAt(pacer: Pacer, at: number): void {
  pacer.record(at);
  pacer.wentOut(at);
  pacer.settle();
}

describe('Pacer', () => {
  it('spaces sends by the interval when burst is 1', () => {
    const pacer = new Pacer(250, 1);
    expect(pacer.nextAllowedAt(1000)).toBe(1000);
    sendAt(pacer, 1000);
    expect(pacer.nextAllowedAt(1000)).toBe(1250);
    expect(pacer.nextAllowedAt(1249)).toBe(1250);
    sendAt(pacer, 1250);
    expect(pacer.nextAllowedAt(1300)).toBe(1500);
  });

  it('lets a burst leave back to back, then paces', () => {
    const pacer = new Pacer(100, 3);
    for (let index = 0; index < 3; index += 1) {
      expect(pacer.nextAllowedAt(0)).toBe(0);
      sendAt(pacer, 0);
    }
    expect(pacer.nextAllowedAt(0)).toBe(100);
    sendAt(pacer, 100);
    expect(pacer.nextAllowedAt(100)).toBe(200);
  });

  it('refills the burst after a quiet period', () => {
    const pacer = new Pacer(100, 2);
    sendAt(pacer, 0);
    sendAt(pacer, 0);
    expect(pacer.nextAllowedAt(0)).toBe(100);
    // Long idle: both burst slots are back.
    expect(pacer.nextAllowedAt(10_000)).toBe(10_000);
    sendAt(pacer, 10_000);
    expect(pacer.nextAllowedAt(10_000)).toBe(10_000);
  });

  it('does nothing with a zero interval', () => {
    const pacer = new Pacer(0, 1);
    pacer.record(5);
    pacer.record(5);
    expect(pacer.nextAllowedAt(5)).toBe(5);
    expect(pacer.awaitingSend).toBe(false);
  });

  it('keeps its history across a reconfigure', () => {
    const pacer = new Pacer(1000, 1);
    sendAt(pacer, 0);
    pacer.reconfigure(500, 1);
    expect(pacer.nextAllowedAt(0)).toBe(1000);
  });

  it('times the spacing from the moment the send went out, not from its admission (a cold connection)', () => {
    const pacer = new Pacer(250, 1);
    pacer.record(0);
    // Connecting: the next send waits for this one to leave, whatever the time.
    expect(pacer.awaitingSend).toBe(true);
    expect(pacer.nextAllowedAt(400)).toBe(Number.POSITIVE_INFINITY);
    pacer.wentOut(40);
    pacer.settle();
    expect(pacer.awaitingSend).toBe(false);
    // Due one interval after it left (290), not after its admission (250).
    expect(pacer.nextAllowedAt(250)).toBe(290);
  });

  it('a connection setup longer than the interval still spaces the next send from the actual departure', () => {
    const pacer = new Pacer(250, 1);
    pacer.record(0);
    expect(pacer.nextAllowedAt(300)).toBe(Number.POSITIVE_INFINITY);
    pacer.wentOut(600);
    pacer.settle();
    expect(pacer.nextAllowedAt(600)).toBe(850);
  });

  it('a send that ended without going out frees the next one (spaced from when it ended, the safe side)', () => {
    const pacer = new Pacer(250, 1);
    pacer.record(0);
    pacer.wentOut(10);
    pacer.settle();
    expect(pacer.nextAllowedAt(10)).toBe(260);
    // More settles than records (a reload in between) never go below zero or unblock a later send early.
    pacer.settle();
    pacer.record(260);
    expect(pacer.nextAllowedAt(600)).toBe(Number.POSITIVE_INFINITY);
  });

  it('a burst of 3 may have 3 sends connecting at once, not a 4th', () => {
    const pacer = new Pacer(100, 3);
    pacer.record(0);
    pacer.record(0);
    expect(pacer.nextAllowedAt(0)).toBe(0);
    pacer.record(0);
    expect(pacer.nextAllowedAt(0)).toBe(Number.POSITIVE_INFINITY);
    pacer.wentOut(5);
    pacer.settle();
    expect(pacer.nextAllowedAt(5)).toBe(100);
  });

  it('an interval switched on while sends were out still counts them (a reload cannot strand a slot)', () => {
    const pacer = new Pacer(0, 1);
    pacer.record(0);
    pacer.reconfigure(250, 1);
    expect(pacer.awaitingSend).toBe(true);
    pacer.settle();
    expect(pacer.awaitingSend).toBe(false);
  });

  it('derives the spacing from minDelayMs, or from burst + perMinute', () => {
    expect(pacingInterval({ minDelayMs: 250, burst: undefined, perMinute: 10 })).toBe(250);
    expect(pacingInterval({ minDelayMs: 0, burst: 5, perMinute: 60 })).toBe(1000);
    expect(pacingInterval({ minDelayMs: 0, burst: undefined, perMinute: 60 })).toBe(0);
  });
});
