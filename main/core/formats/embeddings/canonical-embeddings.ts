// Embeddings in canonical terms (docs/translation.md "Embeddings"): what every embeddings API asks and answers,
// so an OpenAI client can be served by Gemini and a Gemini client by any OpenAI-style provider.

/** The two wire families of embeddings APIs: OpenAI's POST /embeddings and Gemini's :batchEmbedContents. */
export const embeddingFamilies = ['openai', 'gemini'] as const;
export type EmbeddingFamily = (typeof embeddingFamilies)[number];

/**
 * One thing to embed: text, or (OpenAI only) text already split into token ids. Gemini's task type
 * (RETRIEVAL_QUERY, RETRIEVAL_DOCUMENT, ...) and document title belong to each content of a batch; OpenAI has neither.
 */
export type EmbeddingInput = { kind: 'text'; text: string; taskType?: string; title?: string } | { kind: 'tokens'; tokens: number[] };

export interface CanonicalEmbeddingRequest {
  inputs: EmbeddingInput[];
  /** Length of each vector (OpenAI `dimensions`, Gemini `outputDimensionality`). */
  dimensions?: number;
  /** How the client wants the vectors: numbers, or base64 of little-endian float32 (OpenAI `encoding_format`). */
  encoding: 'float' | 'base64';
  /** OpenAI's end-user id. */
  user?: string;
  /** The client asked Gemini's single-content :embedContent (answered with one `embedding`, not a list). */
  single?: boolean;
}

export interface CanonicalEmbeddings {
  /** One vector per input, in input order. */
  vectors: number[][];
  /** Input tokens as the upstream reported them (Gemini reports none). */
  inputTokens?: number;
}
