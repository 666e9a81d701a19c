import type { RecordedRequest } from './fake-upstream.ts';

// Embeddings and image answers of the fake providers, in each vendor's wire shape: OpenAI's POST /embeddings and
// /images/generations (platform.openai.com/docs/api-reference), Gemini's :batchEmbedContents / :embedContent
// (ai.google.dev/api/embeddings) and generateContent image output (inlineData parts).

/** A deterministic vector for a text: the same text always embeds the same, different texts differ. */
export function fakeVector(text: string, dimensions = 4): number[] {
  const vector: number[] = [];
  for (let index = 0; index < dimensions; index++) {
    let sum = index + 1;
    for (let character = 0; character < text.length; character++) sum = (sum * 31 + text.charCodeAt(character)) % 1009;
    vector.push(sum / 1009);
  }
  return vector;
}

function openaiInputs(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input)) return [];
  if (input.every((item) => typeof item === 'number')) return [input.join(' ')];
  return input.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
}

export function openaiEmbeddings(request: RecordedRequest, model: string): Record<string, unknown> {
  const texts = openaiInputs(request.json?.input);
  const dimensions = typeof request.json?.dimensions === 'number' ? request.json.dimensions : 4;
  const base64 = request.json?.encoding_format === 'base64';
  return {
    object: 'list',
    data: texts.map((text, index) => {
      const vector = fakeVector(text, dimensions);
      const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
      return { object: 'embedding', index, embedding };
    }),
    model,
    usage: { prompt_tokens: texts.reduce((sum, text) => sum + text.split(/\s+/).length, 0), total_tokens: texts.reduce((sum, text) => sum + text.split(/\s+/).length, 0) },
  };
}

type GeminiContent = { parts?: Array<{ text?: string }> };
const textOf = (content: GeminiContent | undefined) => (content?.parts ?? []).map((part) => part.text ?? '').join('\n');

export function geminiEmbeddings(request: RecordedRequest): Record<string, unknown> {
  if (request.operation === 'embedContent') {
    const json = request.json as { content?: GeminiContent; outputDimensionality?: number } | undefined;
    return { embedding: { values: fakeVector(textOf(json?.content), json?.outputDimensionality ?? 4) } };
  }
  const requests = (request.json?.requests ?? []) as Array<{ content?: GeminiContent; outputDimensionality?: number }>;
  return { embeddings: requests.map((item) => ({ values: fakeVector(textOf(item.content), item.outputDimensionality ?? 4) })) };
}

/** Image bytes of a given size (not a real PNG: the engine never decodes images). */
export function fakeImageBase64(bytes: number, seed = 1): string {
  const data = Buffer.alloc(bytes);
  for (let index = 0; index < bytes; index++) data[index] = (index * 7 + seed) % 256;
  return data.toString('base64');
}

export function openaiImages(request: RecordedRequest, imageBytes: number): Record<string, unknown> {
  const n = typeof request.json?.n === 'number' ? request.json.n : 1;
  const asUrl = request.json?.response_format === 'url';
  return {
    created: 1_750_000_000,
    data: Array.from({ length: n }, (_, index) => (asUrl ? { url: `https://images.example.invalid/fake-${index}.png` } : { b64_json: fakeImageBase64(imageBytes, index + 1) })),
    usage: { input_tokens: 9, output_tokens: 1056, total_tokens: 1065, input_tokens_details: { text_tokens: 9, image_tokens: 0 } },
  };
}

/** A Gemini image model's answer: a text part, then one inlineData part per candidate. */
export function geminiImages(request: RecordedRequest, imageBytes: number): Record<string, unknown> {
  const config = request.json?.generationConfig as { candidateCount?: number } | undefined;
  const count = config?.candidateCount ?? 1;
  return {
    candidates: Array.from({ length: count }, (_, index) => ({
      content: { role: 'model', parts: [{ text: 'Here is your image.' }, { inlineData: { mimeType: 'image/png', data: fakeImageBase64(imageBytes, index + 1) } }] },
      finishReason: 'STOP',
      index,
    })),
    usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 1290, totalTokenCount: 1298 },
    modelVersion: request.model,
  };
}

/** True for a generateContent request that asks for image output. */
export function asksForImages(request: RecordedRequest): boolean {
  const modalities = (request.json?.generationConfig as { responseModalities?: unknown } | undefined)?.responseModalities;
  return Array.isArray(modalities) && modalities.includes('IMAGE');
}
