// Starting the benchmark's processes and reading what they print (shared by run-bench.ts and cpu-bench.ts).
// On a machine with two cores or more each process is pinned to a core with taskset (docs/performance.md).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const here = import.meta.dirname;
export const cores = availableParallelism();
export const pinned = cores >= 2;

/**
 * Starts a script of this folder (or an absolute path) with Node, pinned to `core` where possible. With `ipc` the
 * child also gets Node's IPC channel (process.send / 'message'; it survives taskset, which execs Node in place).
 */
export function launch(script: string, core: number, env: Record<string, string> = {}, nodeFlags: string[] = [], options: { ipc?: boolean } = {}): ChildProcess {
  const path = script.startsWith('/') ? script : join(here, script);
  const command = pinned ? 'taskset' : process.execPath;
  const commandArgs = pinned ? ['-c', String(core), process.execPath, ...nodeFlags, path] : [...nodeFlags, path];
  return spawn(command, commandArgs, { env: { ...process.env, ...env }, stdio: options.ipc ? ['ignore', 'pipe', 'inherit', 'ipc'] : ['ignore', 'pipe', 'inherit'] });
}

/** The first line the child prints that starts with `prefix` (without it), or a rejection after `timeoutMs`. */
export function firstLine(child: ChildProcess, prefix: string, timeoutMs = 20_000): Promise<string> {
  const reader = lineReader(child);
  return reader.next(prefix, timeoutMs).finally(() => reader.close());
}

/**
 * Reads a child's output line by line for as long as it runs: `next(prefix)` resolves with the next line that starts
 * with `prefix`. One reader per child, so no line falls between two readers.
 */
export function lineReader(child: ChildProcess): { next(prefix: string, timeoutMs?: number): Promise<string>; close(): void } {
  const lines = createInterface({ input: child.stdout! });
  const waiting: { prefix: string; resolve(line: string): void }[] = [];
  lines.on('line', (line) => {
    const index = waiting.findIndex((waiter) => line.startsWith(waiter.prefix));
    if (index === -1) return;
    const [waiter] = waiting.splice(index, 1);
    waiter!.resolve(line.slice(waiter!.prefix.length).trim());
  });
  return {
    next(prefix, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${prefix}" line within ${timeoutMs} ms`)), timeoutMs);
        const onExit = (code: number | null) => reject(new Error(`${prefix}: process exited with ${code}`));
        child.once('exit', onExit);
        waiting.push({
          prefix,
          resolve(line) {
            clearTimeout(timer);
            child.off('exit', onExit);
            resolve(line);
          },
        });
      });
    },
    close: () => lines.close(),
  };
}
