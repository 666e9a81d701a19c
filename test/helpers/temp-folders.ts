import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Temporary folders for one test file; `cleanup` (in afterEach) removes every folder made since the last call. */
export function temporaryFolders(prefix: string): { make(): Promise<string>; makeSync(): string; cleanup(): Promise<void> } {
  const made: string[] = [];
  return {
    async make() {
      const folder = await mkdtemp(join(tmpdir(), `switchyard-${prefix}-`));
      made.push(folder);
      return folder;
    },
    makeSync() {
      const folder = mkdtempSync(join(tmpdir(), `switchyard-${prefix}-`));
      made.push(folder);
      return folder;
    },
    async cleanup() {
      for (const folder of made.splice(0)) await rm(folder, { recursive: true, force: true }).catch(() => rmSync(folder, { recursive: true, force: true }));
    },
  };
}
