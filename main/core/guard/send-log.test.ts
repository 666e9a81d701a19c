import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SendLog, windowMarginMs } from './send-log.ts';

const minute = 60_000;

describe('SendLog', () => {
  it('allows up to the limit in a window, then waits for the oldest send to age out (plus the margin)', () => {
    const log = new SendLog(minute);
    for (let index = 0; index < 3; index += 1) {
      expect(log.nextSlotForCount(index * 10, minute, 3)).toBe(index * 10);
      log.record(index * 10, 0);
    }
    expect(log.nextSlotForCount(30, minute, 3)).toBe(0 + minute + windowMarginMs);
    log.record(minute + windowMarginMs, 0);
    expect(log.nextSlotForCount(minute + windowMarginMs, minute, 3)).toBe(10 + minute + windowMarginMs);
  });

  it('counts tokens and finds when enough have aged out', () => {
    const log = new SendLog(minute);
    log.record(0, 400);
    log.record(1000, 400);
    log.record(2000, 100);
    expect(log.tokensAfter(-1)).toBe(900);
    // 1000 tokens per minute: 900 used, 100 more fit, 200 wait for the first entry to leave.
    expect(log.nextSlotForTokens(2000, minute, 1000, 100)).toBe(2000);
    expect(log.nextSlotForTokens(2000, minute, 1000, 200)).toBe(0 + minute + windowMarginMs);
    expect(log.nextSlotForTokens(2000, minute, 1000, 700)).toBe(1000 + minute + windowMarginMs);
    // Larger than the whole limit: waits for an empty window.
    expect(log.nextSlotForTokens(2000, minute, 1000, 5000)).toBe(2000 + minute + windowMarginMs);
  });

  it('drops what no window needs any more, and stays correct after compaction', () => {
    const log = new SendLog(1000);
    for (let index = 0; index < 5000; index += 1) log.record(index * 10, 1);
    // 1 s retention + 1 s margin at 10 ms per send: about 200 entries kept.
    expect(log.size).toBeLessThanOrEqual(202);
    expect(log.tokensAfter(49_990 - 1000)).toBe(100);
    expect(log.countAfter(49_990 - 1000)).toBe(100);
  });

  it('never admits more than the limit within any rolling window (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 60 }),
        (limit, gaps) => {
          const windowMs = 10_000;
          const log = new SendLog(windowMs);
          const sent: number[] = [];
          let now = 0;
          for (const gap of gaps) {
            now += gap;
            const at = log.nextSlotForCount(now, windowMs, limit);
            expect(at).toBeGreaterThanOrEqual(now);
            now = at;
            log.record(now, 0);
            sent.push(now);
          }
          for (const start of sent) {
            const inWindow = sent.filter((time) => time >= start && time < start + windowMs + windowMarginMs).length;
            expect(inWindow).toBeLessThanOrEqual(limit);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
