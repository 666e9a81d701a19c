import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryDataDir } from '../../helpers/usage-events.ts';

// The promise: a record is committed well under a second after its response completed, so killing the engine
// with SIGKILL loses none of those. The child records in bursts (see record-until-killed.ts); the test kills it and
// counts the rows in the database it left behind.
const script = join(import.meta.dirname, 'record-until-killed.ts');
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

interface Report {
  at: number;
  count: number;
}

/** `stopWhen` answers true to kill now, or a number of milliseconds to kill after. */
function run(dataDir: string, bursts: number | 'forever', stopWhen: (reports: Report[], done: number | undefined) => boolean | number) {
  const child = spawn(process.execPath, [script, dataDir, String(bursts === 'forever' ? 'Infinity' : bursts)], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => child.kill('SIGKILL'));
  const reports: Report[] = [];
  let done: number | undefined;
  return new Promise<{ reports: Report[]; done: number | undefined; killedAt: number }>((resolve, reject) => {
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the child never reached the point to be killed'));
    }, 20_000);
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline = buffered.indexOf('\n');
      while (newline !== -1) {
        const [word, value] = buffered.slice(0, newline).split(' ');
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        if (word === 'recorded') reports.push({ at: Date.now(), count: Number(value) });
        if (word === 'done') done = Number(value);
        const verdict = stopWhen(reports, done);
        if (verdict === false) continue;
        clearTimeout(deadline);
        child.stdout.removeAllListeners('data');
        const kill = () => {
          const killedAt = Date.now();
          child.once('exit', (_code, signal) => {
            expect(signal).toBe('SIGKILL');
            resolve({ reports, done, killedAt });
          });
          child.kill('SIGKILL');
        };
        if (verdict === true) kill();
        else setTimeout(kill, verdict);
        return;
      }
    });
  });
}

function rowsIn(dataDir: string): number {
  const db = new Database(join(dataDir, 'usage.db'));
  try {
    return db.prepare('SELECT COUNT(*) FROM requests').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('usage ledger and kill -9', () => {
  it('killed while recording under load: every record older than a second survives', async () => {
    const temporary = temporaryDataDir();
    cleanups.push(temporary.remove);
    const { reports, killedAt } = await run(temporary.dir, 'forever', (seen) => seen.length > 0 && seen[seen.length - 1]!.at - seen[0]!.at > 1500);
    const rows = rowsIn(temporary.dir);
    const settled = reports.filter((report) => report.at <= killedAt - 1000).at(-1)!.count;
    expect(settled).toBeGreaterThan(0);
    expect(rows).toBeGreaterThanOrEqual(settled);
    expect(rows).toBeLessThanOrEqual(reports.at(-1)!.count + 25);
  });

  it('killed a second after the last response: every record is there', async () => {
    const temporary = temporaryDataDir();
    cleanups.push(temporary.remove);
    const { done } = await run(temporary.dir, 20, (_seen, finished) => (finished === undefined ? false : 1000));
    expect(done).toBe(500);
    expect(rowsIn(temporary.dir)).toBe(500);
  });
});
