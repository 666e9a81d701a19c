import type { WireFormat } from '../../../../shared/wire-format.ts';
import type { CanonicalEmbeddingRequest, CanonicalEmbeddings, EmbeddingFamily } from './canonical-embeddings.ts';
import { decodeGeminiEmbeddingRequest, decodeGeminiEmbeddings, encodeGeminiEmbeddingRequest, encodeGeminiEmbeddings } from './gemini-embeddings.ts';
import { decodeOpenaiEmbeddingRequest, decodeOpenaiEmbeddings, encodeOpenaiEmbeddingRequest, encodeOpenaiEmbeddings } from './openai-embeddings.ts';

/** Both directions of one embeddings wire family, as the chat codecs are for chat. */
export interface EmbeddingCodec {
  decodeRequest(body: Record<string, unknown>, options: { single: boolean }): CanonicalEmbeddingRequest;
  encodeRequest(request: CanonicalEmbeddingRequest, model: string): Record<string, unknown>;
  decodeAnswer(body: unknown): CanonicalEmbeddings | undefined;
  encodeAnswer(result: CanonicalEmbeddings, request: CanonicalEmbeddingRequest, model: string, estimatedInputTokens: number): Record<string, unknown>;
  /** The model travels in the body (OpenAI) rather than the URL (Gemini): only then can its bytes pass through. */
  modelInBody: boolean;
}

const codecs: Record<EmbeddingFamily, EmbeddingCodec> = {
  openai: {
    decodeRequest: (body) => decodeOpenaiEmbeddingRequest(body),
    encodeRequest: encodeOpenaiEmbeddingRequest,
    decodeAnswer: decodeOpenaiEmbeddings,
    encodeAnswer: encodeOpenaiEmbeddings,
    modelInBody: true,
  },
  gemini: {
    decodeRequest: (body, options) => decodeGeminiEmbeddingRequest(body, options.single),
    encodeRequest: encodeGeminiEmbeddingRequest,
    decodeAnswer: decodeGeminiEmbeddings,
    encodeAnswer: (result, request) => encodeGeminiEmbeddings(result, request),
    modelInBody: false,
  },
};

export function embeddingCodec(family: EmbeddingFamily): EmbeddingCodec {
  return codecs[family];
}

/** The embeddings family of an inbound API: Gemini's routes speak Gemini, /v1/embeddings speaks OpenAI. */
export function embeddingFamilyOf(format: WireFormat): EmbeddingFamily {
  return format === 'gemini' ? 'gemini' : 'openai';
}
