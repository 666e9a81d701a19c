import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { folderCycles, folderImports } from './engine-folder-cycles.ts';
import { engineLayers } from './engine-layers.js';

const made: string[] = [];
afterEach(() => {
  while (made.length > 0) rmSync(made.pop()!, { recursive: true, force: true });
});

/** A throwaway engine root: folder -> file -> source text. */
function engineWith(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'switchyard-cycles-'));
  made.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('engine folder cycles', () => {
  it('finds a two-folder and a three-folder cycle, each once', () => {
    const root = engineWith({
      'a/one.ts': "import { two } from '../b/two.ts';\n",
      'b/two.ts': "import type { one } from '../a/one.ts';\nexport { three } from '../c/three.ts';\n",
      'c/three.ts': "import { one } from '../a/one.ts';\n",
    });
    expect(folderCycles(folderImports(root))).toEqual([
      ['a', 'b', 'a'],
      ['a', 'b', 'c', 'a'],
    ]);
  });

  it('ignores imports inside a folder, of files outside the engine, and from tests', () => {
    const root = engineWith({
      'a/one.ts': "import { two } from './two.ts';\nimport { wire } from '../../shared/wire.ts';\nimport { b } from '../b/b.ts';\n",
      'a/two.ts': '',
      'b/b.ts': '',
      'b/b.test.ts': "import { one } from '../a/one.ts';\n",
    });
    expect(folderCycles(folderImports(root))).toEqual([]);
  });

  it('allows no pair, not even control <-> server', () => {
    const root = engineWith({
      'control/a.ts': "import { b } from '../server/b.ts';\n",
      'server/b.ts': "import { a } from '../control/a.ts';\n",
    });
    expect(folderCycles(folderImports(root))).toEqual([['control', 'server', 'control']]);
  });

  it('the engine itself has no folder cycles', () => {
    const engine = resolve(import.meta.dirname, '../../main/core');
    expect(folderCycles(folderImports(engine))).toEqual([]);
  });

  it('every engine folder has a layer in build/checks/engine-layers.js', () => {
    const engine = resolve(import.meta.dirname, '../../main/core');
    const folders = readdirSync(engine, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(folders.filter((folder) => !(folder in engineLayers))).toEqual([]);
  });
});
