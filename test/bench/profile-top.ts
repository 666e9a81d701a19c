// The functions with the most self time in a V8 CPU profile (`node --cpu-prof`, a .cpuprofile) or the most bytes
// allocated in a sampling heap profile (`node --heap-prof`, a .heapprofile, garbage included), each with its share
// of the whole: where a build spends its time, or where its garbage comes from. cpu-bench.ts writes both.
//   node test/bench/profile-top.ts <file.cpuprofile | file.heapprofile> [--top 30]
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; hitCount?: number }[];
  samples?: number[];
}
interface HeapNode {
  callFrame: CallFrame;
  selfSize: number;
  children: HeapNode[];
}

const [file] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node test/bench/profile-top.ts <file.cpuprofile | file.heapprofile> [--top N]\n');
  process.exit(2);
}
const topIndex = process.argv.indexOf('--top');
const top = topIndex === -1 ? 30 : Number(process.argv[topIndex + 1]);

const nameOf = ({ functionName, url, lineNumber }: CallFrame) => `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*\//, '')}:${lineNumber + 1}` : ''}`.trim();
const totals = new Map<string, number>();
const add = (frame: CallFrame, amount: number) => totals.set(nameOf(frame), (totals.get(nameOf(frame)) ?? 0) + amount);

const parsed = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile | { head: HeapNode };
let unit: string;
if ('head' in parsed) {
  unit = 'bytes sampled';
  const walk = (node: HeapNode) => {
    add(node.callFrame, node.selfSize);
    for (const child of node.children) walk(child);
  };
  walk(parsed.head);
} else {
  unit = 'samples';
  const hits = new Map<number, number>();
  if (parsed.samples) for (const id of parsed.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  else for (const node of parsed.nodes) hits.set(node.id, node.hitCount ?? 0);
  for (const node of parsed.nodes) add(node.callFrame, hits.get(node.id) ?? 0);
}
const total = [...totals.values()].reduce((sum, value) => sum + value, 0);
process.stdout.write(`${total} ${unit}\n`);
for (const [name, amount] of [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  process.stdout.write(`${((100 * amount) / total).toFixed(1).padStart(5)}%  ${name}\n`);
}
