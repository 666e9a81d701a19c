import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleEngine, engineNodeFlags } from './engine-bundle.ts';

// What keeps the engine's resident memory down is a property of the bundle, not of any one source file, so it is
// checked on the bundle `switchyard serve` runs (docs/performance.md, "Lever 10").
const root = join(import.meta.dirname, '..', '..');
let folder: string;
let bundle: Buffer;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'switchyard-bundle-'));
  await bundleEngine(join(root, 'main', 'core', 'cli', 'switchyard.ts'), join(folder, 'switchyard.mjs'));
  bundle = readFileSync(join(folder, 'switchyard.mjs'));
}, 60_000);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('the engine bundle', () => {
  it('is pure ASCII, so Node keeps its source at one byte per character', () => {
    const text = bundle.toString('utf8');
    const offenders = [...text.matchAll(/[^\x00-\x7f]/g)].slice(0, 5).map((match) => text.slice(Math.max(0, match.index - 60), match.index + 10));
    // A non-ASCII character in a regular expression literal is the usual cause: write it as a \u escape.
    expect(offenders).toEqual([]);
  });

  it('keeps licence comments in a file beside it instead of in the code', () => {
    // esbuild's legal comments are the `/*! ... */` ones (undici's bundled polyfills carry them).
    const legal = join(folder, 'switchyard.mjs.LEGAL.txt');
    expect(existsSync(legal)).toBe(true);
    expect(readFileSync(legal, 'utf8')).toContain('MIT License');
    expect(bundle.includes('/*!')).toBe(false);
  });

  it('initialises the engine lazily, behind the command table, not at start-up', () => {
    // esbuild wraps modules reached through a dynamic import in an init function keyed by their path; a static
    // import of the server from the entry would evaluate them all up front again.
    expect(bundle.includes('"main/core/engine.ts"()')).toBe(true);
    expect(bundle.includes('"main/core/cli/serve-cli.ts"()')).toBe(true);
  });
});

describe('the V8 flags the engine runs with', () => {
  it('are the ones docs/cluster.md tells people to start it with', () => {
    // The systemd unit and the Compose file there start the bundle by hand, so they must carry the same flags.
    const cluster = readFileSync(join(root, 'docs', 'cluster.md'), 'utf8');
    const systemd = /ExecStart=\/usr\/bin\/node ((?:--[\w-]+(?:=\S+)? )+)/.exec(cluster)?.[1]?.trim().split(' ');
    const compose = /command: \["node", ((?:"--[\w-]+(?:=[^"]+)?", )+)/.exec(cluster)?.[1]?.match(/--[^"]+/g);
    expect(systemd).toEqual(engineNodeFlags);
    expect(compose).toEqual(engineNodeFlags);
  });
});
