import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `switchyard serve` as a user runs it: a real process, real data dir, real stdout/stderr and exit codes.

const cli = join(import.meta.dirname, '..', '..', 'main', 'core', 'cli', 'switchyard.ts');
const running: ChildProcessWithoutNullStreams[] = [];

/** Kills (SIGKILL, by PID) every serve process the test started that is still running. */
export function killServeProcesses(): void {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

export interface ServeRun {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  errors: () => string;
  exit: Promise<number | null>;
}

export function serve(args: string[], env: Record<string, string> = {}): ServeRun {
  const child = spawn(process.execPath, [cli, 'serve', ...args], { env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env } });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => stdout, errors: () => stderr, exit };
}

export async function waitForOutput(run: ServeRun, pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(run.output());
    if (match) return match;
    if (run.child.exitCode !== null) throw new Error(`serve exited with ${run.child.exitCode}: ${run.errors()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; stdout: ${run.output()} stderr: ${run.errors()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
