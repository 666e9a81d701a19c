import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { accountsFileName } from './account-registry.ts';

/** Several writes in a row (a sign-in writes the record, a refusal updates it) cause one reload. */
const settleMs = 150;

/**
 * Calls `onChange` when `<dataDir>/accounts.json` changes, so an account added with `switchyard accounts add` while
 * `serve` runs joins without a restart. The folder is watched, not the file: the file may not exist yet, and it is
 * replaced (written atomically) rather than edited.
 */
export function watchAccountsFile(dataDir: string, onChange: () => void): { close(): void } {
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dataDir, (_event, filename) => {
      if (filename !== accountsFileName) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, settleMs);
      timer.unref();
    });
    watcher.unref();
  } catch {
    // A data dir that cannot be watched only means a restart picks up new accounts.
  }
  return {
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
