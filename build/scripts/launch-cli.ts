// Bundles the engine's CLI (a few hundred ms) and replaces this process with Node running the bundle with the
// engine's V8 flags (see engine-bundle.ts for why). `npm run serve` and the `switchyard` bin both start here.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { bundleEngine, engineNodeFlags } from './engine-bundle.ts';

export async function launchCli(cliArgs: string[]): Promise<void> {
  const root = join(import.meta.dirname, '..', '..');
  const bundle = join(root, 'dist', 'serve', 'switchyard.mjs');
  await bundleEngine(join(root, 'main', 'core', 'cli', 'switchyard.ts'), bundle);
  const args = [...engineNodeFlags, bundle, ...cliArgs];
  if (typeof process.execve === 'function' && process.platform !== 'win32') {
    // Replace this process: no idle launcher stays behind, and signals (Ctrl-C) reach the engine directly.
    process.execve(process.execPath, [process.execPath, ...args], process.env);
  } else {
    const child = spawn(process.execPath, args, { stdio: 'inherit' });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  }
}
