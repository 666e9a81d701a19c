export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** Files beyond this many lines are shown as removed-then-added: the quadratic table would cost too much. */
const maxLines = 4000;

/** A line diff (longest common subsequence) of two texts; undefined stands for a file that does not exist. */
export function lineDiff(before: string | undefined, after: string | undefined): DiffLine[] {
  const left = before === undefined || before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const right = after === undefined || after === '' ? [] : after.replace(/\n$/, '').split('\n');
  if (left.length > maxLines || right.length > maxLines) {
    return [...left.map((text) => ({ kind: 'removed' as const, text })), ...right.map((text) => ({ kind: 'added' as const, text }))];
  }
  const width = right.length + 1;
  const table = new Uint32Array((left.length + 1) * width);
  for (let row = left.length - 1; row >= 0; row -= 1) {
    for (let column = right.length - 1; column >= 0; column -= 1) {
      table[row * width + column] = left[row] === right[column] ? (table[(row + 1) * width + column + 1] ?? 0) + 1 : Math.max(table[(row + 1) * width + column] ?? 0, table[row * width + column + 1] ?? 0);
    }
  }
  const lines: DiffLine[] = [];
  let row = 0;
  let column = 0;
  while (row < left.length || column < right.length) {
    if (row < left.length && column < right.length && left[row] === right[column]) {
      lines.push({ kind: 'same', text: left[row] ?? '' });
      row += 1;
      column += 1;
    } else if (column < right.length && (row >= left.length || (table[row * width + column + 1] ?? 0) >= (table[(row + 1) * width + column] ?? 0))) {
      lines.push({ kind: 'added', text: right[column] ?? '' });
      column += 1;
    } else {
      lines.push({ kind: 'removed', text: left[row] ?? '' });
      row += 1;
    }
  }
  return lines;
}

/** A unified-style rendering with a few lines of context around each change. */
export function renderDiff(path: string, before: string | undefined, after: string | undefined, context = 2): string[] {
  const lines = lineDiff(before, after);
  const near = lines.map((_line, index) => lines.slice(Math.max(0, index - context), index + context + 1).some((other) => other.kind !== 'same'));
  const output = [`--- ${before === undefined ? '/dev/null' : path}`, `+++ ${path}`];
  let skipped = false;
  for (const [index, line] of lines.entries()) {
    if (!near[index]) {
      if (!skipped) output.push('  ...');
      skipped = true;
      continue;
    }
    skipped = false;
    output.push(`${line.kind === 'added' ? '+' : line.kind === 'removed' ? '-' : ' '} ${line.text}`);
  }
  return output;
}
