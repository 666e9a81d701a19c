// The benchmark's fake provider: answers Anthropic Messages requests (and OpenAI Chat Completions and Gemini
// generateContent, for the translated scenarios) as fast as it can, from pre-built bytes, so the benchmark measures Switchyard rather than
// the fake. Streaming answers are 50 text chunks, each written separately as a real provider would.
// Prints `port <n>` on stdout once listening.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const streamChunks = 50;

const sse = (event: string | undefined, data: unknown) => `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;

const anthropicMessage = Buffer.from(
  JSON.stringify({
    id: 'msg_bench',
    type: 'message',
    role: 'assistant',
    model: 'bench-model',
    content: [{ type: 'text', text: 'word '.repeat(streamChunks).trim() }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 20, output_tokens: streamChunks },
  }),
);

const anthropicStream = [
  sse('message_start', { type: 'message_start', message: { id: 'msg_bench', type: 'message', role: 'assistant', model: 'bench-model', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 20, output_tokens: 1 } } }),
  sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
  ...Array.from({ length: streamChunks }, () => sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'word ' } })),
  sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
  sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: streamChunks } }),
  sse('message_stop', { type: 'message_stop' }),
].map((event) => Buffer.from(event));

const chatChunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  sse(undefined, { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model: 'bench-model', choices: [{ index: 0, delta, finish_reason: finish }] });
const chatStream = [
  chatChunk({ role: 'assistant', content: '' }),
  ...Array.from({ length: streamChunks }, () => chatChunk({ content: 'word ' })),
  chatChunk({}, 'stop'),
  sse(undefined, { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model: 'bench-model', choices: [], usage: { prompt_tokens: 20, completion_tokens: streamChunks, total_tokens: 20 + streamChunks } }),
  'data: [DONE]\n\n',
].map((event) => Buffer.from(event));
const chatCompletion = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1,
    model: 'bench-model',
    choices: [{ index: 0, message: { role: 'assistant', content: 'word '.repeat(streamChunks).trim() }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 20, completion_tokens: streamChunks, total_tokens: 20 + streamChunks },
  }),
);

const geminiChunk = (text: string, last: boolean) =>
  sse(undefined, {
    candidates: [{ content: { role: 'model', parts: [{ text }] }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) }],
    ...(last ? { usageMetadata: { promptTokenCount: 20, candidatesTokenCount: streamChunks, totalTokenCount: 20 + streamChunks } } : {}),
    modelVersion: 'bench-model',
    responseId: 'bench',
  });
const geminiStream = Array.from({ length: streamChunks }, (_, index) => Buffer.from(geminiChunk('word ', index === streamChunks - 1)));
const geminiAnswer = Buffer.from(
  JSON.stringify({
    candidates: [{ content: { role: 'model', parts: [{ text: 'word '.repeat(streamChunks).trim() }] }, index: 0, finishReason: 'STOP' }],
    usageMetadata: { promptTokenCount: 20, candidatesTokenCount: streamChunks, totalTokenCount: 20 + streamChunks },
    modelVersion: 'bench-model',
    responseId: 'bench',
  }),
);

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
