// The floor the benchmark compares Switchyard against: the smallest correct Node reverse proxy (node:http in,
// one undici Agent out, chunks relayed with backpressure), run on the same core with the engine's V8 flags less one
// that would slow it down (bareProxyFlags). What it adds over "direct" is the price of one more HTTP hop on this
// machine; what Switchyard adds beyond it is its own.
// Prints `url <url>` once listening; on SIGTERM prints `peak-rss <bytes>` and exits; on SIGUSR2 prints `stats {…}`
// (CPU time and garbage collections so far, bench-stats.ts).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { reportStatsOnSignal } from './bench-stats.ts';

const upstream = process.env.BENCH_UPSTREAM!;
const agent = new Agent({ connections: 256, keepAliveTimeout: 30_000 });

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    agent
      .request({ origin: upstream, path: request.url ?? '/', method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) })
      .then((answer) => {
        response.writeHead(answer.statusCode, { 'content-type': String(answer.headers['content-type'] ?? 'application/json') });
        answer.body.on('data', (chunk: Buffer) => {
          if (!response.write(chunk)) answer.body.pause();
        });
        response.on('drain', () => answer.body.resume());
        answer.body.on('end', () => response.end());
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
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  process.stdout.write(`peak-rss ${match ? Number(match[1]) * 1024 : process.memoryUsage().rss}\n`);
  process.exit(0);
});
