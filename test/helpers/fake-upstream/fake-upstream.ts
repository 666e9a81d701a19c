import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicError, anthropicMessage, anthropicStream } from './anthropic-replies.ts';
import { geminiError, geminiResponse, geminiStream } from './gemini-replies.ts';
import { chatCompletion, chatStream, openaiError, responsesObject, responsesStream } from './openai-replies.ts';
import { ollamaChat, ollamaError, ollamaStream } from './ollama-replies.ts';
import { asksForImages, geminiEmbeddings, geminiImages, openaiEmbeddings, openaiImages } from './side-replies.ts';
import type { FakeReply } from './reply.ts';
import { defaultText, splitText, sse } from './reply.ts';

export type FakeUpstreamKind = 'anthropic' | 'openai' | 'gemini' | 'ollama';
export type FakeOperation =
  | 'messages'
  | 'count_tokens'
  | 'chat'
  | 'responses'
  | 'generateContent'
  | 'streamGenerateContent'
  | 'countTokens'
  /** Ollama's native POST /api/chat (NDJSON when streaming). */
  | 'ollamaChat'
  /** OpenAI-style POST /embeddings (Ollama: /v1/embeddings). */
  | 'embeddings'
  /** OpenAI-style POST /images/generations. */
  | 'images'
  /** Gemini :embedContent and :batchEmbedContents. */
  | 'embedContent'
  | 'batchEmbedContents'
  /** A model list: GET /v1/models (Anthropic, OpenAI-style, Ollama /v1), /v1beta/models (Gemini), /api/tags (Ollama). */
  | 'models'
  | 'unknown';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The body bytes exactly as received. */
  body: Buffer;
  json: Record<string, unknown> | undefined;
  operation: FakeOperation;
  /** The model: from the body, or from the URL for Gemini. */
  model: string | undefined;
  stream: boolean;
  /** The credential presented (x-api-key, Bearer or x-goog-api-key). */
  credential: string | undefined;
  /** performance.now() when the request's headers were parsed (its arrival), for spacing assertions. */
  arrivedAt: number;
}

export type FakeHandler = (request: RecordedRequest, index: number) => FakeReply | Promise<FakeReply>;

export interface FakeUpstream {
  kind: FakeUpstreamKind;
  /** Base URL to put in a provider's baseUrl. */
  url: string;
  requests: RecordedRequest[];
  /** Requests being answered right now, and the most ever at once. */
  readonly active: number;
  readonly maxActive: number;
  setHandler(handler: FakeHandler): void;
  /** Resolves when a request has been fully answered or its client went away. */
  close(): Promise<void>;
  /** Aborts in-flight answers seen as closed by this side (client disconnect detection). */
  readonly closedByClient: number;
}

function operationOf(kind: FakeUpstreamKind, path: string, method: string): { operation: FakeOperation; model?: string } {
  if (method === 'GET') {
    if (kind === 'gemini' ? /\/v1beta\/models$/.test(path) : kind === 'ollama' ? path === '/api/tags' || path === '/v1/models' : path.endsWith('/models')) return { operation: 'models' };
    return { operation: 'unknown' };
  }
  if (kind === 'ollama') {
    if (path === '/api/chat') return { operation: 'ollamaChat' };
    if (path === '/v1/chat/completions') return { operation: 'chat' };
    if (path === '/v1/embeddings') return { operation: 'embeddings' };
  } else if (kind === 'anthropic') {
    if (path.endsWith('/v1/messages/count_tokens')) return { operation: 'count_tokens' };
    if (path.endsWith('/v1/messages')) return { operation: 'messages' };
  } else if (kind === 'openai') {
    if (path.endsWith('/chat/completions')) return { operation: 'chat' };
    if (path.endsWith('/responses')) return { operation: 'responses' };
    if (path.endsWith('/embeddings')) return { operation: 'embeddings' };
    if (path.endsWith('/images/generations')) return { operation: 'images' };
  } else {
    const match = /\/models\/(.+):(generateContent|streamGenerateContent|countTokens|embedContent|batchEmbedContents)$/.exec(path);
    if (match) return { operation: match[2] as FakeOperation, model: decodeURIComponent(match[1]!) };
  }
  return { operation: 'unknown' };
}

function credentialOf(headers: IncomingMessage['headers']): string | undefined {
  const apiKey = headers['x-api-key'] ?? headers['x-goog-api-key'];
  if (typeof apiKey === 'string') return apiKey;
  const authorization = headers.authorization;
  return authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
}

function errorBody(kind: FakeUpstreamKind, status: number, message: string, type?: string): Record<string, unknown> {
  if (kind === 'anthropic') return anthropicError(status, message, type);
  if (kind === 'gemini') return geminiError(status, message, type);
  if (kind === 'ollama') return ollamaError(message);
  return openaiError(status, message, type);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A real HTTP server on 127.0.0.1:0 that speaks one provider's wire format, records every request it receives
 * (bytes, headers, arrival time) and answers what the test scripts. Never a mock object: the engine talks to it over
 * TCP exactly as it would talk to the provider.
 */
export async function startFakeUpstream(kind: FakeUpstreamKind, options: { keys?: string[]; models?: string[]; imageBytes?: number } = {}): Promise<FakeUpstream> {
  const imageBytes = options.imageBytes ?? 64;
  let handler: FakeHandler = () => ({ kind: 'text' });
  const requests: RecordedRequest[] = [];
  const open = new Set<ServerResponse>();
  let active = 0;
  let maxActive = 0;
  let closedByClient = 0;
  let counter = 0;

  const server: Server = createServer((request, response) => {
    // Stamped as soon as the request line and headers are parsed: the arrival, before the body is read.
    const arrivedAt = performance.now();
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void answer(request, response, Buffer.concat(chunks), arrivedAt);
    });
  });

  async function answer(request: IncomingMessage, response: ServerResponse, body: Buffer, arrivedAt: number): Promise<void> {
    const [path = '/', queryText = ''] = (request.url ?? '/').split('?');
    const query = new URLSearchParams(queryText);
    let json: Record<string, unknown> | undefined;
    try {
      json = body.length > 0 ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : undefined;
    } catch {
      json = undefined;
    }
    const { operation, model: pathModel } = operationOf(kind, path, request.method ?? 'GET');
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path,
      query,
      headers: request.headers,
      body,
      json,
      operation,
      model: pathModel ?? (typeof json?.model === 'string' ? json.model : undefined),
      // Ollama's native chat streams unless told not to.
      stream: operation === 'streamGenerateContent' || json?.stream === true || (operation === 'ollamaChat' && json?.stream !== false),
      credential: credentialOf(request.headers),
      arrivedAt,
    };
    const index = requests.push(recorded) - 1;
    active += 1;
    maxActive = Math.max(maxActive, active);
    open.add(response);
    let finished = false;
    response.on('close', () => {
      active -= 1;
      open.delete(response);
      if (!finished && !response.writableFinished) closedByClient += 1;
    });
    try {
      if (options.keys && !options.keys.includes(recorded.credential ?? '')) {
        await write(response, { kind: 'error', status: 401, message: 'invalid api key' }, recorded);
      } else if (operation === 'unknown') {
        await write(response, { kind: 'error', status: 404, message: `fake ${kind} upstream has no route ${path}` }, recorded);
      } else {
        await write(response, await handler(recorded, index), recorded);
      }
      finished = true;
    } catch {
      response.destroy();
    }
  }

  async function write(response: ServerResponse, reply: FakeReply, request: RecordedRequest): Promise<void> {
    const model = request.model ?? 'fake-model';
    const id = `fake_${++counter}`;
    if (reply.kind === 'hang') return new Promise(() => {});
    if (reply.kind === 'error') {
      const body = JSON.stringify(reply.body ?? errorBody(kind, reply.status, reply.message ?? `fake error ${reply.status}`, reply.type));
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      response.end(body);
      return;
    }
    if (reply.kind === 'raw') {
      response.writeHead(reply.status, reply.headers ?? { 'content-type': 'text/event-stream' });
      for (const chunk of reply.chunks) {
        response.write(chunk);
        if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
      }
      response.end();
      return;
    }
    if (reply.kind === 'break-mid-stream') {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      // The status line and headers leave now, also with afterChunks 0 (headers, then the connection dies).
      response.flushHeaders();
      const events = streamEvents({ kind: 'text', text: defaultText.repeat(4), chunks: reply.afterChunks + 5 }, request, model, id);
      for (const event of events.slice(0, reply.afterChunks)) response.write(event);
      await sleep(20);
      response.destroy();
      return;
    }
    if (request.operation === 'models') return sendJson(response, modelList(options.models ?? ['fake-model-a', 'fake-model-b']));
    if (request.operation === 'count_tokens') return sendJson(response, { input_tokens: 42 });
    if (request.operation === 'countTokens') return sendJson(response, { totalTokens: 42 });
    if (request.operation === 'embeddings') return sendJson(response, openaiEmbeddings(request, model));
    if (request.operation === 'embedContent' || request.operation === 'batchEmbedContents') return sendJson(response, geminiEmbeddings(request));
    if (request.operation === 'images') return sendJson(response, openaiImages(request, imageBytes));
    if (request.operation === 'generateContent' && asksForImages(request)) return sendJson(response, geminiImages(request, imageBytes));
    if (!request.stream) return sendJson(response, completeBody(reply, request, model, id));
    response.writeHead(200, { 'content-type': request.operation === 'ollamaChat' ? 'application/x-ndjson' : 'text/event-stream', 'cache-control': 'no-cache' });
    const delay = reply.kind === 'text' ? reply.chunkDelayMs : undefined;
    for (const event of streamEvents(reply, request, model, id)) {
      if (response.destroyed) return;
      response.write(event);
      if (delay) await sleep(delay);
    }
    response.end();
  }

  function completeBody(reply: Extract<FakeReply, { kind: 'text' | 'tool' }>, request: RecordedRequest, model: string, id: string) {
    if (kind === 'anthropic') return anthropicMessage(reply, model, `msg_${id}`);
    if (kind === 'gemini') return geminiResponse(reply, model);
    if (request.operation === 'ollamaChat') return ollamaChat(reply, model);
    return request.operation === 'responses' ? responsesObject(reply, model, `resp_${id}`) : chatCompletion(reply, model, `chatcmpl-${id}`);
  }

  function streamEvents(reply: Extract<FakeReply, { kind: 'text' | 'tool' }>, request: RecordedRequest, model: string, id: string): string[] {
    if (kind === 'anthropic') return anthropicStream(reply, model, `msg_${id}`);
    if (kind === 'gemini') return geminiStream(reply, model);
    if (request.operation === 'ollamaChat') return ollamaStream(reply, model);
    if (request.operation === 'responses') return responsesStream(reply, model, `resp_${id}`);
    const includeUsage = (request.json?.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    return chatStream(reply, model, `chatcmpl-${id}`, includeUsage);
  }

  function modelList(models: string[]): Record<string, unknown> {
    if (kind === 'gemini') return { models: models.map((name) => ({ name: `models/${name}`, supportedGenerationMethods: ['generateContent', 'countTokens'] })) };
    if (kind === 'ollama') return { models: models.map((name) => ({ name, model: name, size: 1 })) };
    return { object: 'list', data: models.map((id) => ({ id, object: 'model', type: 'model', created: 0 })) };
  }

  function sendJson(response: ServerResponse, body: unknown): void {
    const text = JSON.stringify(body);
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
    response.end(text);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    kind,
    url: kind === 'openai' ? `${base}/v1` : base,
    requests,
    get active() {
      return active;
    },
    get maxActive() {
      return maxActive;
    },
    get closedByClient() {
      return closedByClient;
    },
    setHandler(next) {
      handler = next;
    },
    async close() {
      for (const response of open) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export { splitText, sse, defaultText };
export type { FakeReply };
