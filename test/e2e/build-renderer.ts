import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
export const rendererOutput = join(repositoryRoot, 'dist', 'renderer');

function newestChange(directory: string, depth = 0): number {
  let newest = 0;
  if (depth > 8) return newest;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path, depth + 1) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The UI tests drive the BUILT renderer, as users get it. `npm test` builds first (npm run build); when the tests run
 * on their own, the renderer is built here if dist/renderer is missing or older than its sources.
 */
export async function ensureRendererBuilt(): Promise<void> {
  let built = 0;
  try {
    built = statSync(join(rendererOutput, 'index.html')).mtimeMs;
  } catch {
    built = 0;
  }
  const sources = Math.max(newestChange(join(repositoryRoot, 'renderer')), newestChange(join(repositoryRoot, 'shared')));
  if (built > sources) return;
  await promisify(execFile)(join(repositoryRoot, 'node_modules', '.bin', 'vite'), ['build', '--config', 'renderer/vite.config.ts'], {
    cwd: repositoryRoot,
    timeout: 120_000,
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
