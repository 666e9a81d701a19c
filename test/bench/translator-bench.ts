// The stream translators alone, without a network: CPU time and bytes allocated per translated bench stream (50
// text chunks, bench-answers.ts), for the translated scenarios of the bench. Allocation is measured without garbage
// collection getting in the way (a young generation large enough for a whole batch, heap used after minus before), so
// it is exact and repeatable where engine CPU time on a shared machine is not: the figure to compare levers on.
//   node --min-semi-space-size=256 --max-semi-space-size=256 --expose-gc test/bench/translator-bench.ts [--streams 3000]
// Each stream is translated twice: as one chunk (how the bench's provider's answer arrives, one read) and one chunk
// per event (how a real provider's tokens arrive, spread over time). BENCH_ALLOCATION_PROFILE=<file> also writes an
// allocation profile of the whole run (read it with profile-top.ts); --only <upstream>-><client> runs one pair.
import type { WireFormat } from '../../shared/wire-format.ts';
import { createStreamTranslator, type TranslationContext } from '../../main/core/formats/translator.ts';
import { anthropicStream, chatStream, geminiStream, geminiStreamWithUsage, responsesStream } from './bench-answers.ts';
import { sampleAllocationsIfAsked } from './bench-stats.ts';

const streamsIndex = process.argv.indexOf('--streams');
const streams = streamsIndex === -1 ? 3000 : Number(process.argv[streamsIndex + 1]);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  process.stderr.write('run with: node --min-semi-space-size=256 --max-semi-space-size=256 --expose-gc test/bench/translator-bench.ts\n');
  process.exit(2);
}

const writeAllocationProfile = sampleAllocationsIfAsked();
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex === -1 ? undefined : process.argv[onlyIndex + 1];

// `label` tells apart two streams of one upstream format (--only takes the label where there is one).
const allPairs: { upstream: WireFormat; client: WireFormat; events: Buffer[]; label?: string }[] = [
  { upstream: 'openai-chat', client: 'anthropic', events: chatStream },
  { upstream: 'anthropic', client: 'openai-chat', events: anthropicStream },
  { upstream: 'gemini', client: 'anthropic', events: geminiStream },
  { upstream: 'gemini', client: 'anthropic', events: geminiStreamWithUsage, label: 'gemini (token counts in every chunk) -> anthropic' },
  { upstream: 'openai-responses', client: 'anthropic', events: responsesStream, label: 'openai-responses (sequence numbers, obfuscation) -> anthropic' },
  { upstream: 'openai-chat', client: 'openai-responses', events: chatStream },
];
const nameOf = (pair: (typeof allPairs)[number]) => pair.label ?? `${pair.upstream} -> ${pair.client}`;
const pairs = allPairs.filter((pair) => only === undefined || `${pair.upstream}->${pair.client}` === only || pair.label === only);

function context(client: WireFormat, upstream: WireFormat): TranslationContext {
  return { client, upstream, clientModel: 'bench-model', upstreamModel: 'bench-model', stream: true, includeUsage: true, renamedTools: {}, customTools: [] };
}

let sink = 0;
function translate(upstream: WireFormat, client: WireFormat, chunks: readonly Buffer[]): void {
  const translator = createStreamTranslator({ from: upstream, to: client, context: context(client, upstream) });
  for (const chunk of chunks) sink += translator.push(chunk).length;
  sink += translator.end().length;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

// CPU: the fastest of 9 rounds and their median. Other load on the machine only ever adds time, so the fastest round
// is the best estimate of the work itself.
const lines = ['| Upstream -> client | Chunking | CPU µs per stream, fastest (median) of 9 rounds | KB allocated per stream |', '|---|---|---|---|'];
for (const pair of pairs) {
  const { upstream, client, events } = pair;
  for (const [chunking, chunks] of [
    ['one read', [Buffer.concat(events)]],
    ['one read per event', events],
  ] as const) {
    for (let warm = 0; warm < 2000; warm += 1) translate(upstream, client, chunks);
    const times: number[] = [];
    for (let round = 0; round < 9; round += 1) {
      const before = process.cpuUsage();
      for (let index = 0; index < streams / 9; index += 1) translate(upstream, client, chunks);
      const used = process.cpuUsage(before);
      times.push((used.user + used.system) / (streams / 9));
    }
    const batch = 200;
    const allocations: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      gc();
      const before = process.memoryUsage().heapUsed;
      for (let index = 0; index < batch; index += 1) translate(upstream, client, chunks);
      allocations.push((process.memoryUsage().heapUsed - before) / batch / 1024);
    }
    lines.push(`| ${nameOf(pair)} | ${chunking} | ${Math.min(...times).toFixed(1)} (${median(times).toFixed(1)}) | ${median(allocations).toFixed(1)} |`);
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
await writeAllocationProfile();
if (sink < 0) process.stdout.write('unreachable\n');
