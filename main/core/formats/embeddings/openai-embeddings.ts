// OpenAI's embeddings API (platform.openai.com/docs/api-reference/embeddings): POST /embeddings with `input` a string,
// an array of strings, an array of token ids or an array of such arrays; `dimensions`; `encoding_format` float or
// base64; `user`. The answer is {object:"list", data:[{object:"embedding", index, embedding}], model, usage}.
import { requestError } from '../../errors/proxy-error.ts';
import type { CanonicalEmbeddingRequest, CanonicalEmbeddings, EmbeddingInput } from './canonical-embeddings.ts';
import { vectorFromBase64, vectorToBase64 } from './float-vector-base64.ts';

/** OpenAI's own limit on inputs per request. */
export const maxEmbeddingInputs = 2048;

const invalid = (message: string) => requestError('invalid_request', 400, message);

function isTokenArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.length > 0 && value.every((item) => Number.isInteger(item) && (item as number) >= 0);
}

function inputsOf(input: unknown): EmbeddingInput[] {
  if (typeof input === 'string') {
    if (input === '') throw invalid('"input" must not be an empty string.');
    return [{ kind: 'text', text: input }];
  }
  if (!Array.isArray(input) || input.length === 0) throw invalid('"input" must be a string, an array of strings, an array of token ids or an array of token id arrays, and not empty.');
  if (isTokenArray(input)) return [{ kind: 'tokens', tokens: input }];
  if (input.length > maxEmbeddingInputs) throw invalid(`"input" holds ${input.length} items; at most ${maxEmbeddingInputs} are allowed per request.`);
  return input.map((item, index) => {
    if (typeof item === 'string' && item !== '') return { kind: 'text', text: item };
    if (isTokenArray(item)) return { kind: 'tokens', tokens: item };
    throw invalid(`"input[${index}]" must be a non-empty string or a non-empty array of token ids.`);
  });
}

export function decodeOpenaiEmbeddingRequest(body: Record<string, unknown>): CanonicalEmbeddingRequest {
  const request: CanonicalEmbeddingRequest = { inputs: inputsOf(body.input), encoding: 'float' };
  if (body.dimensions !== undefined) {
    if (!Number.isInteger(body.dimensions) || (body.dimensions as number) < 1) throw invalid('"dimensions" must be a positive integer.');
    request.dimensions = body.dimensions as number;
  }
  if (body.encoding_format !== undefined) {
    if (body.encoding_format !== 'float' && body.encoding_format !== 'base64') throw invalid('"encoding_format" must be "float" or "base64".');
    request.encoding = body.encoding_format;
  }
  if (body.user !== undefined) {
    if (typeof body.user !== 'string') throw invalid('"user" must be a string.');
    request.user = body.user;
  }
  return request;
}

/** The request for an OpenAI-style upstream. Vectors are asked as numbers: Switchyard encodes base64 itself when translating. */
export function encodeOpenaiEmbeddingRequest(request: CanonicalEmbeddingRequest, model: string): Record<string, unknown> {
  const input = request.inputs.map((item) => (item.kind === 'text' ? item.text : item.tokens));
  return {
    model,
    input,
    encoding_format: 'float',
    ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : {}),
    ...(request.user !== undefined ? { user: request.user } : {}),
  };
}

/** Vectors out of an OpenAI-style answer (numbers or base64), ordered by `index`. Undefined when the answer has no list. */
export function decodeOpenaiEmbeddings(body: unknown): CanonicalEmbeddings | undefined {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return undefined;
  const ordered = [...data].sort((a, b) => Number((a as { index?: number }).index ?? 0) - Number((b as { index?: number }).index ?? 0));
  const vectors: number[][] = [];
  for (const item of ordered) {
    const embedding = (item as { embedding?: unknown }).embedding;
    if (typeof embedding === 'string') vectors.push(vectorFromBase64(embedding));
    else if (Array.isArray(embedding) && embedding.every((value) => typeof value === 'number')) vectors.push(embedding as number[]);
    else return undefined;
  }
  const usage = (body as { usage?: { prompt_tokens?: unknown } }).usage;
  return { vectors, ...(typeof usage?.prompt_tokens === 'number' ? { inputTokens: usage.prompt_tokens } : {}) };
}

/** The answer an OpenAI client expects; `inputTokens` is Switchyard's estimate when the upstream reported none. */
export function encodeOpenaiEmbeddings(result: CanonicalEmbeddings, request: CanonicalEmbeddingRequest, model: string, inputTokens: number): Record<string, unknown> {
  return {
    object: 'list',
    data: result.vectors.map((vector, index) => ({ object: 'embedding', index, embedding: request.encoding === 'base64' ? vectorToBase64(vector) : vector })),
    model,
    usage: { prompt_tokens: result.inputTokens ?? inputTokens, total_tokens: result.inputTokens ?? inputTokens },
  };
}
