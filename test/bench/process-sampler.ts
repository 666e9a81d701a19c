// Reads another process's resident memory and CPU time from /proc (Linux), for the benchmarks: the peak RSS of each
// scenario is sampled while it runs, and the CPU cost per request is the process's CPU time over a run divided by
// the requests it served. Elsewhere (no /proc) the readings are NaN and the benchmarks print n/a.
import { readFileSync } from 'node:fs';

/** Resident set size in bytes (VmRSS), or NaN. */
export const residentBytes = (pid: number): number => statusBytes(pid, 'VmRSS');

/** The highest resident set size the process has had since it started, in bytes (VmHWM, kept by the kernel), or NaN. */
export const peakResidentBytes = (pid: number): number => statusBytes(pid, 'VmHWM');

/** A `<field>: <n> kB` line of /proc/<pid>/status, in bytes, or NaN. */
function statusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** User + system CPU time the process has used so far, in microseconds, or NaN. */
export function cpuMicros(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may itself contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of proc(5))
    return (ticks * 1_000_000) / clockTicksPerSecond;
  } catch {
    return Number.NaN;
  }
}

/** Read and write system calls the process has made so far (syscr, syscw of /proc/<pid>/io; writev and socket writes count as writes), or NaN. */
export function systemCalls(pid: number): { reads: number; writes: number } {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    return { reads: Number(/syscr:\s+(\d+)/.exec(io)?.[1] ?? Number.NaN), writes: Number(/syscw:\s+(\d+)/.exec(io)?.[1] ?? Number.NaN) };
  } catch {
    return { reads: Number.NaN, writes: Number.NaN };
  }
}

/** USER_HZ: 100 on every Linux architecture Node runs on (the kernel reports /proc times in it). */
const clockTicksPerSecond = 100;

/** Samples a process's RSS every `intervalMs` until stopped; `stop()` returns the highest value seen (NaN without /proc). */
export function sampleResidentPeak(pid: number, intervalMs = 25): { stop(): number } {
  let peak = Number.NaN;
  const sample = () => {
    const now = residentBytes(pid);
    if (Number.isNaN(peak) || now > peak) peak = now;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
