import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The version in package.json at the repository root (or "dev" when it cannot be read, e.g. in a bundle). */
export function readAppVersion(): string {
  try {
    const path = fileURLToPath(new URL('../../../package.json', import.meta.url));
    const version = (JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'dev';
  } catch {
    return 'dev';
  }
}
