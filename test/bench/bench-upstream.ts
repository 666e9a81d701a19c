// The benchmark's fake provider: answers Anthropic Messages requests (and OpenAI Chat Completions and Gemini
// generateContent, for the translated scenarios) as fast as it can, from pre-built bytes, so the benchmark measures Switchyard rather than
// the fake. Streaming answers are 50 text chunks, each written separately as a real provider would.
// Prints `port <n>` on stdout once listening.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicMessage, anthropicStream, chatCompletion, chatStream, geminiAnswer, geminiStream } from './bench-answers.ts';

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    // A cheap look at the body instead of JSON.parse: the fake must stay cheaper than what it measures.
    const url = request.url ?? '';
    // Gemini names streaming in the path (`:streamGenerateContent?alt=sse`), the others in the body.
    const gemini = url.includes(':streamGenerateContent') ? 'stream' : url.includes(':generateContent') ? 'whole' : undefined;
    const stream = gemini === undefined ? body.includes('"stream":true') : gemini === 'stream';
    const chat = url.endsWith('/chat/completions');
    if (!stream) {
      const answer = gemini ? geminiAnswer : chat ? chatCompletion : anthropicMessage;
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length });
      response.end(answer);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const event of gemini ? geminiStream : chat ? chatStream : anthropicStream) response.write(event);
    response.end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`port ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
