import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileLogSink } from './file-log-sink.ts';

let folder: string | undefined;
afterEach(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('createFileLogSink', () => {
  it('appends lines and rolls the file over past its size limit', async () => {
    folder = await mkdtemp(join(tmpdir(), 'switchyard-log-'));
    const path = join(folder, 'logs', 'main.log');
    const sink = createFileLogSink(path, 100);
    for (let index = 0; index < 12; index += 1) sink(`line ${index} ${'x'.repeat(10)}`);
    const current = await readFile(path, 'utf8');
    const previous = await readFile(`${path}.1`, 'utf8');
    expect(previous.length).toBeGreaterThan(100);
    expect(current.length).toBeLessThanOrEqual(120);
    expect(`${previous}${current}`).toContain('line 11');
  });

  it('swallows write failures', async () => {
    folder = await mkdtemp(join(tmpdir(), 'switchyard-log-'));
    const file = join(folder, 'a-file');
    await writeFile(file, '');
    // The log folder would have to be created inside a regular file: ENOTDIR on every write.
    expect(() => createFileLogSink(join(file, 'logs', 'main.log'))('hello')).not.toThrow();
  });
});
