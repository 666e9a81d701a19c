import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalCredentials } from './runtime-config.ts';

export const credentialsFileName = 'credentials.json';

/** `sy-` + 32 random bytes: recognisable in logs (and masked there), impossible to guess. */
export function generateSecret(prefix: 'sy' | 'sym'): string {
  return `${prefix}-${randomBytes(32).toString('base64url')}`;
}

/**
 * Headless `serve` keeps its generated client key and management token in `<dataDir>/credentials.json` (mode 0600).
 * Created once at first start; later starts reuse them so clients stay configured. Written atomically (temp file +
 * rename) so a crash mid-write cannot leave a half-written file behind.
 */
export async function ensureLocalCredentials(dataDir: string): Promise<LocalCredentials & { created: boolean; path: string }> {
  const path = join(dataDir, credentialsFileName);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    const stored = JSON.parse(await readFile(path, 'utf8')) as Partial<LocalCredentials>;
    if (typeof stored.clientKey === 'string' && typeof stored.managementToken === 'string') {
      return { clientKey: stored.clientKey, managementToken: stored.managementToken, created: false, path };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
  }
  const credentials: LocalCredentials = { clientKey: generateSecret('sy'), managementToken: generateSecret('sym') };
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
  await chmod(path, 0o600).catch(() => {});
  return { ...credentials, created: true, path };
}
