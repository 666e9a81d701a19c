// The bare proxy (bench-bare-proxy.ts) plus the engine's stream translator and nothing else: no auth, routing, guard,
// usage or error scan. cpu-bench.ts --translating runs it beside the engine, so what translation alone costs in a
// proxy is measured, and with it the best any translating proxy could do against the bare one (docs/performance.md,
// "Where the rest of the gap is"). It gets the upstream's own request (the scenario's reference leg) and translates
// only the answer stream, from BENCH_TRANSLATE=<upstream format>><client format>, so it is a generous bound: the
// engine also translates the request. The relay is the bare proxy's, repeated here rather than shared, so the floor's
// bundle stays byte for byte what it was.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import type { WireFormat } from '../../shared/wire-format.ts';
import { createStreamTranslator } from '../../main/core/formats/translator.ts';
import { reportStatsOnSignal } from './bench-stats.ts';
import { peakResidentBytes } from './process-sampler.ts';

const upstream = process.env.BENCH_UPSTREAM!;
const [from, to] = (process.env.BENCH_TRANSLATE ?? '').split('>') as [WireFormat, WireFormat];
if (!from || !to) throw new Error('BENCH_TRANSLATE=<upstream format>><client format> is required');
const agent = new Agent({ connections: 256, keepAliveTimeout: 30_000 });
const context = { client: to, upstream: from, clientModel: 'bench-model', upstreamModel: 'bench-model', stream: true, includeUsage: true, renamedTools: {}, customTools: [] };

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    agent
      .request({ origin: upstream, path: request.url ?? '/', method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) })
      .then((answer) => {
        const translator = createStreamTranslator({ from, to, context });
        response.writeHead(answer.statusCode, { 'content-type': 'text/event-stream' });
        answer.body.on('data', (chunk: Buffer) => {
          if (!response.write(translator.push(chunk))) answer.body.pause();
        });
        response.on('drain', () => answer.body.resume());
        answer.body.on('end', () => response.end(translator.end()));
        answer.body.on('error', () => response.destroy());
      })
      .catch(() => {
        response.writeHead(502);
        response.end();
      });
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`url http://127.0.0.1:${(server.address() as AddressInfo).port}\n`));
reportStatsOnSignal();
process.on('SIGTERM', () => {
  process.stdout.write(`peak-rss ${peakResidentBytes(process.pid)}\n`);
  process.exit(0);
});
