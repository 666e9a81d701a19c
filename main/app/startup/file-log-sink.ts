import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The app's log file (`<userData>/logs/main.log`): a packaged app has no terminal, and messages in the UI point here
 * ("the log has the details"). Lines arrive already masked by the logger. When the file passes `maxBytes` it becomes
 * main.log.1 (replacing the older one), so the log never grows without bound. Only app-level events are written;
 * requests are not logged to disk.
 */
export function createFileLogSink(path: string, maxBytes = 1024 * 1024): (line: string) => void {
  let size: number | undefined;
  return (line) => {
    try {
      if (size === undefined) {
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        try {
          size = statSync(path).size;
        } catch {
          size = 0;
        }
      }
      if (size > maxBytes) {
        renameSync(path, `${path}.1`);
        size = 0;
      }
      const text = `${line}\n`;
      appendFileSync(path, text, { mode: 0o600 });
      size += Buffer.byteLength(text);
    } catch {
      // A log that cannot be written must never take the app down.
    }
  };
}
