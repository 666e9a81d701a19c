// Finds import cycles between the folders of the engine (main/core/<folder>): a folder that imports another must
// not be imported back, directly or through others, so each layer can be read, tested and replaced on its own.
// Run by `npm run lint`; exits non-zero and names each cycle when one appears. Tests are left out: a test may
// reach across layers to set things up.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const importPattern = /^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm;

/** Folder pairs allowed to import each other for now, each with the reason it is temporary. */
export const allowedFolderCycles: ReadonlyArray<{ folders: [string, string]; reason: string }> = [];

function sourceFiles(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) files.push(path);
  }
  return files;
}

/** folder -> folders it imports (within the engine). */
export function folderImports(engineRoot: string): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  const folderOf = (path: string): string | undefined => {
    const inside = relative(engineRoot, path);
    if (inside.startsWith('..')) return undefined;
    const parts = inside.split(sep);
    return parts.length > 1 ? parts[0] : undefined;
  };
  for (const file of sourceFiles(engineRoot)) {
    const from = folderOf(file);
    if (!from) continue;
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(importPattern)) {
      const to = folderOf(resolve(dirname(file), match[1]!));
      if (!to || to === from) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
    }
  }
  return edges;
}

/** Every cycle as a path of folders (first = last), each found once, except the allowed pairs. */
export function folderCycles(edges: Map<string, Set<string>>): string[][] {
  const allowed = (a: string, b: string) => allowedFolderCycles.some(({ folders: [x, y] }) => (x === a && y === b) || (x === b && y === a));
  const graph = new Map<string, string[]>();
  for (const [from, targets] of edges) graph.set(from, [...targets].filter((to) => !(allowed(from, to) && edges.get(to)?.has(from))));
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const nodes = [...graph.keys()].sort();
  for (const start of nodes) {
    // Cycles through `start` using only nodes after it in sort order: each cycle is reported from its smallest node.
    const walk = (node: string, path: string[]): void => {
      for (const next of graph.get(node) ?? []) {
        if (next === start) {
          const key = path.join('>');
          if (!seen.has(key)) {
            seen.add(key);
            cycles.push([...path, start]);
          }
        } else if (next > start && !path.includes(next) && path.length < 12) walk(next, [...path, next]);
      }
    };
    walk(start, [start]);
  }
  return cycles;
}

if (import.meta.main) {
  const root = resolve(dirname(new URL(import.meta.url).pathname), '../../main/core');
  const cycles = folderCycles(folderImports(root));
  if (cycles.length > 0) {
    console.error('Import cycles between engine folders (main/core/<folder>); break each one:');
    for (const cycle of cycles) console.error(`  ${cycle.join(' -> ')}`);
    process.exit(1);
  }
}
