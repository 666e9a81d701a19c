import { describe, expect, it } from 'vitest';
import type { SoakSample } from './soak-verdict.ts';
import { formatSoakTable, judgeSoak, parseSoakOptions, pickScenario, scenarioWeights, seededRandom, soakDefaults } from './soak-verdict.ts';

const mib = 1024 * 1024;
const sample = (at: number, rssMb: number, overrides: Partial<SoakSample> = {}): SoakSample => ({ at, rss: rssMb * mib, heapUsed: 20 * mib, heapTotal: 30 * mib, external: 2 * mib, inFlight: 0, queued: 0, completed: at * 100, ...overrides });

describe('soak options', () => {
  it('defaults to a few minutes and reads every flag', () => {
    expect(parseSoakOptions([])).toEqual(soakDefaults);
    expect(soakDefaults.durationSeconds).toBe(180);
    expect(
      parseSoakOptions(['--duration', '30', '--concurrency', '8', '--max-rss-growth-mb', '32', '--max-heap-growth-mb', '8', '--seed', '7', '--json', 'out.json', '--sample-seconds', '2']),
    ).toEqual({
      durationSeconds: 30,
      concurrency: 8,
      maxRssGrowthMb: 32,
      maxHeapGrowthMb: 8,
      seed: 7,
      json: 'out.json',
      sampleSeconds: 2,
    });
  });

  it('refuses what it does not understand, naming the flag', () => {
    expect(() => parseSoakOptions(['--duration'])).toThrow(/--duration needs a number/);
    expect(() => parseSoakOptions(['--duration', 'ten'])).toThrow(/--duration needs a number/);
    expect(() => parseSoakOptions(['--duration', '1'])).toThrow(/from 5 to 14400/);
    expect(() => parseSoakOptions(['--minutes', '3'])).toThrow(/unknown option --minutes/);
    expect(() => parseSoakOptions(['--concurrency', '2.5'])).toThrow(/whole number/);
    expect(() => parseSoakOptions(['--fast'])).toThrow(/unknown option --fast/);
    expect(() => parseSoakOptions(['--json'])).toThrow(/--json needs a file name/);
  });
});

describe('soak traffic mix', () => {
  it('is seeded (same seed, same traffic) and follows the weights', () => {
    const first = Array.from({ length: 50 }, ((random) => () => pickScenario(random))(seededRandom(3)));
    const again = Array.from({ length: 50 }, ((random) => () => pickScenario(random))(seededRandom(3)));
    expect(again).toEqual(first);
    const random = seededRandom(99);
    const counts = new Map<string, number>();
    for (let index = 0; index < 20_000; index += 1) {
      const scenario = pickScenario(random);
      counts.set(scenario, (counts.get(scenario) ?? 0) + 1);
    }
    expect(scenarioWeights.reduce((sum, [, weight]) => sum + weight, 0)).toBe(100);
    for (const [scenario, weight] of scenarioWeights) expect(Math.abs((counts.get(scenario) ?? 0) / 200 - weight)).toBeLessThan(1.5);
  });
});

describe('soak verdict', () => {
  const samples = [sample(5, 120), sample(30, 140), sample(60, 150), sample(90, 152)];

  it('passes when memory settles within the bound and every slot came back', () => {
    const verdict = judgeSoak(samples, sample(95, 160), { maxRssGrowthMb: 64, maxHeapGrowthMb: 16, durationSeconds: 180 });
    expect(verdict.ok).toBe(true);
    // The baseline is the first sample after warm-up (30 s here), not the cold start.
    expect(verdict.baseline.at).toBe(30);
    expect(verdict.rssGrowthMb).toBeCloseTo(20);
    expect(verdict.peakRss).toBe(160 * mib);
  });

  it('fails on RSS growth past the bound, on slots still held, and on a run that measured nothing', () => {
    const verdict = judgeSoak(samples, sample(95, 260, { inFlight: 2, queued: 1, completed: 0 }), { maxRssGrowthMb: 64, maxHeapGrowthMb: 16, durationSeconds: 180 });
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual([
      expect.stringMatching(/RSS grew by 120.0 MiB after warm-up \(140.0 -> 260.0 MiB\), more than the bound of 64 MiB/),
      expect.stringMatching(/2 guard slot\(s\) still in flight/),
      expect.stringMatching(/1 request\(s\) still queued/),
      'no request completed: the run measured nothing',
    ]);
  });

  it('fails on live-heap growth, a crash and unexpected answers, 5xx named apart', () => {
    const verdict = judgeSoak(samples, sample(95, 150, { heapUsed: 60 * mib }), { maxRssGrowthMb: 64, maxHeapGrowthMb: 16, durationSeconds: 180 }, { unexpected: 5, unexpected5xx: 3, crashed: 'signal SIGSEGV' });
    expect(verdict.ok).toBe(false);
    expect(verdict.heapGrowthMb).toBeCloseTo(40);
    expect(verdict.problems).toEqual([
      expect.stringMatching(/live heap grew by 40.0 MiB after warm-up \(20.0 -> 60.0 MiB after a full GC\), more than the bound of 16 MiB/),
      'the engine process died during the run (signal SIGSEGV)',
      '3 unexpected 5xx answer(s)',
      "2 other answer(s) their scenario does not allow",
    ]);
    expect(judgeSoak(samples, sample(95, 150), { maxRssGrowthMb: 64, maxHeapGrowthMb: 16, durationSeconds: 180 }, { unexpected: 0, unexpected5xx: 0 }).ok).toBe(true);
  });

  it('a short run warms up for a quarter of it', () => {
    const verdict = judgeSoak([sample(2, 100), sample(6, 110), sample(12, 111)], sample(20, 112), { maxRssGrowthMb: 64, maxHeapGrowthMb: 16, durationSeconds: 24 });
    expect(verdict.baseline.at).toBe(6);
  });

  it('prints an aligned table', () => {
    const table = formatSoakTable([sample(5, 120.5), sample(10, 121)]).split('\n');
    expect(table[0]).toMatch(/time\s+rss MiB\s+heap MiB\s+external MiB\s+in flight\s+queued\s+completed/);
    expect(table).toHaveLength(4);
    expect(table[2]).toMatch(/5 s\s+120.5\s+20.0\s+2.0\s+0\s+0\s+500$/);
    expect(new Set(table.map((row) => row.length)).size).toBe(1);
  });
});
