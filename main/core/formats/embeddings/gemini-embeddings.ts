// Gemini's embeddings API (ai.google.dev/api/embeddings): POST models/{model}:embedContent with {content, taskType,
// title, outputDimensionality} answered by {embedding:{values}}, and models/{model}:batchEmbedContents with
// {requests:[{model:"models/{model}", content, ...}]} answered by {embeddings:[{values}]}. Upstream, Switchyard always
// sends the batch form (one content is a batch of one) so one path serves both client methods.
import { ProxyError, requestError } from '../../errors/proxy-error.ts';
import type { CanonicalEmbeddingRequest, CanonicalEmbeddings, EmbeddingInput } from './canonical-embeddings.ts';
import { maxEmbeddingInputs } from './openai-embeddings.ts';

const invalid = (message: string) => requestError('invalid_request', 400, message);

interface GeminiEmbedRequest {
  content?: unknown;
  taskType?: unknown;
  title?: unknown;
  outputDimensionality?: unknown;
}

/** A content's text parts, joined: Gemini embeds all parts of one content as one vector. */
function contentText(content: unknown, where: string): string {
  const parts = (content as { parts?: unknown } | null)?.parts;
  if (!Array.isArray(parts) || parts.length === 0) throw invalid(`"${where}.parts" must be a non-empty array of text parts.`);
  const texts = parts.map((part, index) => {
    const text = (part as { text?: unknown } | null)?.text;
    if (typeof text !== 'string') throw invalid(`"${where}.parts[${index}]" must be a text part: embeddings take text only.`);
    return text;
  });
  const joined = texts.join('\n');
  if (joined === '') throw invalid(`"${where}" has no text to embed.`);
  return joined;
}

function inputOf(request: GeminiEmbedRequest, where: string): { input: EmbeddingInput; dimensions?: number } {
  const input: EmbeddingInput = { kind: 'text', text: contentText(request.content, `${where}content`) };
  if (request.taskType !== undefined) {
    if (typeof request.taskType !== 'string') throw invalid(`"${where}taskType" must be a string.`);
    input.taskType = request.taskType;
  }
  if (request.title !== undefined) {
    if (typeof request.title !== 'string') throw invalid(`"${where}title" must be a string.`);
    input.title = request.title;
  }
  if (request.outputDimensionality === undefined) return { input };
  if (!Number.isInteger(request.outputDimensionality) || (request.outputDimensionality as number) < 1) throw invalid(`"${where}outputDimensionality" must be a positive integer.`);
  return { input, dimensions: request.outputDimensionality as number };
}

/** A Gemini client's :embedContent (`single`) or :batchEmbedContents body. */
export function decodeGeminiEmbeddingRequest(body: Record<string, unknown>, single: boolean): CanonicalEmbeddingRequest {
  if (single) {
    const { input, dimensions } = inputOf(body, '');
    return { inputs: [input], encoding: 'float', single: true, ...(dimensions !== undefined ? { dimensions } : {}) };
  }
  const requests = body.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw invalid('"requests" must be a non-empty array of embedContent requests.');
  if (requests.length > maxEmbeddingInputs) throw invalid(`"requests" holds ${requests.length} items; at most ${maxEmbeddingInputs} are allowed per batch.`);
  const decoded = requests.map((item, index) => inputOf((item ?? {}) as GeminiEmbedRequest, `requests[${index}].`));
  const dimensions = new Set(decoded.map((item) => item.dimensions));
  // One vector length per request: every provider Switchyard translates to takes a single `dimensions`.
  if (dimensions.size > 1) throw invalid('Every request of a batch must ask the same "outputDimensionality".');
  const [first] = dimensions;
  return { inputs: decoded.map((item) => item.input), encoding: 'float', ...(first !== undefined ? { dimensions: first } : {}) };
}

/** The :batchEmbedContents body for a Gemini upstream. Token-id inputs cannot be sent: Gemini embeds text only. */
export function encodeGeminiEmbeddingRequest(request: CanonicalEmbeddingRequest, model: string): Record<string, unknown> {
  return {
    requests: request.inputs.map((input, index) => {
      // This target cannot serve the request, another may: a combo moves on to an OpenAI-style provider.
      if (input.kind !== 'text') throw new ProxyError({ code: 'unsupported', status: 400, scope: 'target', message: `"input[${index}]" is token ids; Gemini embeds text only. Send text, or route to an OpenAI-style provider.` });
      return {
        model: `models/${model}`,
        content: { parts: [{ text: input.text }] },
        ...(input.taskType !== undefined ? { taskType: input.taskType } : {}),
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(request.dimensions !== undefined ? { outputDimensionality: request.dimensions } : {}),
      };
    }),
  };
}

function valuesOf(embedding: unknown): number[] | undefined {
  const values = (embedding as { values?: unknown } | null)?.values;
  return Array.isArray(values) && values.every((value) => typeof value === 'number') ? (values as number[]) : undefined;
}

/** Vectors out of a Gemini answer, batch or single. Undefined when the answer holds none. */
export function decodeGeminiEmbeddings(body: unknown): CanonicalEmbeddings | undefined {
  const record = (body ?? {}) as { embeddings?: unknown; embedding?: unknown };
  if (Array.isArray(record.embeddings)) {
    const vectors = record.embeddings.map(valuesOf);
    return vectors.every((vector) => vector !== undefined) ? { vectors: vectors as number[][] } : undefined;
  }
  const single = valuesOf(record.embedding);
  return single ? { vectors: [single] } : undefined;
}

/** The answer a Gemini client expects: one `embedding` for :embedContent, a list for :batchEmbedContents. */
export function encodeGeminiEmbeddings(result: CanonicalEmbeddings, request: CanonicalEmbeddingRequest): Record<string, unknown> {
  if (request.single) return { embedding: { values: result.vectors[0] ?? [] } };
  return { embeddings: result.vectors.map((values) => ({ values })) };
}
