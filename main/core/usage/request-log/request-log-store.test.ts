import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryDataDir } from '../../../../test/helpers/usage-events.ts';
import type { StoredEntry } from './request-log-store.ts';
import { openRequestLogStore } from './request-log-store.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const part = (body: string) => ({ line: '200', headers: {}, body, events: null, omittedBytes: 0 });
function entry(body: string, startedAt = 1): StoredEntry {
  return {
    summary: { startedAt, durationMs: 5, clientFormat: 'anthropic', method: 'POST', path: '/v1/messages', requestedModel: 'p/m', provider: 'p', upstreamFormat: 'openai-chat', status: 200, stream: false },
    parts: { clientRequest: part(body), upstreamRequest: part(body), upstreamAnswer: null, clientAnswer: part(body) },
  };
}

function store() {
  const temporary = temporaryDataDir();
  cleanups.push(temporary.remove);
  const opened = openRequestLogStore(join(temporary.dir, 'nested', 'request-log.db'));
  cleanups.unshift(() => opened.close());
  return opened;
}

describe('request log store', () => {
  it('creates its file private (0600) and reads entries back, newest first, in pages', () => {
    const log = store();
    expect(statSync(log.path!).mode & 0o777).toBe(0o600);
    const ids = [1, 2, 3].map((n) => log.insert(entry(`body ${n}`, n), { maxEntries: 10, maxBytes: 1e6 }));
    expect(log.list(undefined, 2).map((summary) => summary.startedAt)).toEqual([3, 2]);
    expect(log.list(ids[1], 2).map((summary) => summary.startedAt)).toEqual([1]);
    expect(log.read(ids[0]!)).toMatchObject({ id: ids[0], startedAt: 1, clientRequest: part('body 1'), upstreamAnswer: null });
    expect(log.read(999)).toBeUndefined();
  });

  it('drops the oldest beyond the count cap', () => {
    const log = store();
    for (let n = 1; n <= 5; n++) log.insert(entry(`body ${n}`, n), { maxEntries: 3, maxBytes: 1e6 });
    expect(log.list(undefined, 10).map((summary) => summary.startedAt)).toEqual([5, 4, 3]);
    expect(log.totals().entries).toBe(3);
  });

  it('drops the oldest beyond the byte cap, keeping the newest that fit', () => {
    const log = store();
    const big = 'x'.repeat(1000);
    for (let n = 1; n <= 5; n++) log.insert(entry(big, n), { maxEntries: 100, maxBytes: 7_000 });
    const { entries, bytes } = log.totals();
    expect(bytes).toBeLessThanOrEqual(7_000);
    expect(entries).toBe(2); // each entry is a little over 3,000 bytes
    expect(log.list(undefined, 10).map((summary) => summary.startedAt)).toEqual([5, 4]);
  });

  it('clear deletes every entry and the text leaves the file', () => {
    const log = store();
    log.insert(entry('a very recognisable prompt text'), { maxEntries: 10, maxBytes: 1e6 });
    log.clear();
    expect(log.totals()).toEqual({ entries: 0, bytes: 0 });
    const file = readFileSync(log.path!);
    expect(file.includes('a very recognisable prompt text')).toBe(false);
  });

  it('in memory when no path is given', () => {
    const log = openRequestLogStore(null);
    cleanups.push(() => log.close());
    log.insert(entry('kept in memory'), { maxEntries: 10, maxBytes: 1e6 });
    expect(log.path).toBeNull();
    expect(log.totals().entries).toBe(1);
  });
});
