// What the CPU benchmark (cpu-bench.ts) reads from a process under test: on SIGUSR2 it prints one line
// `stats {"cpuMicros":…,"systemMicros":…,"scavenges":…,"markCompacts":…,"gcMillis":…,"heapUsed":…,"rss":…}` — CPU time used so far
// (user + system, all threads, microseconds), the kernel's share of it (system), garbage collections counted by kind since start and their total time.
// The counters cost nothing per request: one observer callback per garbage collection.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import type { PerformanceEntry } from 'node:perf_hooks';

export function reportStatsOnSignal(): void {
  let scavenges = 0;
  let markCompacts = 0;
  let gcMillis = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMillis += entry.duration;
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges += 1;
      else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) markCompacts += 1;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  process.on('SIGUSR2', () => {
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    process.stdout.write(`stats ${JSON.stringify({ cpuMicros: cpu.user + cpu.system, systemMicros: cpu.system, scavenges, markCompacts, gcMillis, heapUsed: memory.heapUsed, rss: memory.rss })}\n`);
  });
}

/**
 * With BENCH_ALLOCATION_PROFILE=<file>: samples every allocation, including objects garbage collection has already
 * freed (Node's own --heap-prof keeps only what is still alive, which says nothing about garbage), and writes the
 * profile (.heapprofile format, read by profile-top.ts) when the returned function is called. Without it: nothing.
 */
export function sampleAllocationsIfAsked(): () => Promise<void> {
  const file = process.env.BENCH_ALLOCATION_PROFILE;
  if (!file) return async () => {};
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  const started = post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return async () => {
    await started;
    const { profile } = (await post('HeapProfiler.stopSampling')) as { profile: unknown };
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}
