import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

/** The `switchyard` command as a user runs it from a checkout. */
export const switchyardCli = join(import.meta.dirname, '..', '..', 'main', 'core', 'cli', 'switchyard.ts');

export interface ServeProcess {
  url: string;
  output(): string;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts `switchyard serve` on 127.0.0.1:0 in a child process and waits (at most 20 s) until it is serving. */
export async function startServeProcess(args: string[], env: Record<string, string>): Promise<ServeProcess> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [switchyardCli, 'serve', '--port', '0', '--host', '127.0.0.1', ...args], { env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    const url = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    if (url) return { url, output: () => output, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`serve did not start: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
