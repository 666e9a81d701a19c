import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Whoever clones the repository gets everything it relies on: no file may send the reader to notes that live
// outside it (the team's handbook beside the checkout). Facts belong in docs/, in the project's own words.
const root = join(import.meta.dirname, '..', '..');
const outsideNotes = ['DESIGN', 'PROTOCOLS', 'PITFALLS'].map((name) => `${name}.md`);
// The handbook's folders beside the checkout (the repo's own shared/ holds code, named in lower-case files).
const outsidePath = /(?:\.\.\/shared|\/work\/shared)\/(?:fixtures|tools|hooks)\//u;
const textFile = /\.(?:ts|tsx|js|mjs|cjs|json|md|yml|yaml|sh|html|css)$|(?:^|\/)run$/u;

function trackedTextFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' });
  return listed.split('\0').filter((path) => path !== '' && textFile.test(path) && !path.startsWith('test/fixtures/'));
}

describe('the repository stands alone', () => {
  it('no tracked file cites notes outside the repository', () => {
    const offenders: string[] = [];
    for (const path of trackedTextFiles()) {
      const text = readFileSync(join(root, path), 'utf8');
      if (outsideNotes.some((name) => text.includes(name)) || outsidePath.test(text)) offenders.push(path);
    }
    expect(offenders).toEqual([]);
  });
});
