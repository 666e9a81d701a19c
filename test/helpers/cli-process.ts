// `switchyard …` as a person runs it: a real child process with a clean environment, its output collected, and
// every process a test started killed after it.
import { spawn } from 'node:child_process';
import type { ChildProcess, ChildProcessWithoutNullStreams } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = join(import.meta.dirname, '..', '..', 'main', 'core', 'cli', 'switchyard.ts');
const running: ChildProcessWithoutNullStreams[] = [];

export interface CliRun {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  errors: () => string;
  exit: Promise<number | null>;
}

export function runCli(args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env } });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => stdout, errors: () => stderr, exit };
}

export async function waitForOutput(run: CliRun, pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(run.output());
    if (match) return match;
    if (run.child.exitCode !== null) throw new Error(`exited with ${run.child.exitCode}: ${run.errors()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; stdout: ${run.output()} stderr: ${run.errors()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** For afterEach: kills what is still running. */
export function killStartedProcesses(): void {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program to the end without blocking the event loop (the fake providers answer from this process), killing
 * it after `timeoutMs` so a stuck tool fails the test instead of hanging it.
 */
export function runToEnd(command: string, args: string[], options: { env: Record<string, string>; cwd?: string; timeoutMs: number }): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
