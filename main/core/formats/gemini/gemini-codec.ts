import type { Codec } from '../codec.ts';
import { geminiShaper } from './shape-body.ts';
import { geminiAsksForThinking, geminiCarriesWebSearch, geminiTokenCountRequest } from './request-traits.ts';
import { geminiErrorBody, geminiStreamErrorSignature, geminiStreamFailure, isGeminiErrorBody } from './error-body.ts';
import { decodeGeminiRequest } from './decode-request.ts';
import { decodeGeminiResponse } from './decode-response.ts';
import { GeminiStreamDecoder } from './decode-stream.ts';
import { encodeGeminiRequest } from './encode-request.ts';
import { encodeGeminiResponse } from './encode-response.ts';
import { GeminiStreamEncoder } from './encode-stream.ts';
import { geminiUsage } from './read-usage.ts';

export const geminiCodec: Codec = {
  format: 'gemini',
  decodeRequest: decodeGeminiRequest,
  encodeRequest: encodeGeminiRequest,
  decodeResponse: decodeGeminiResponse,
  encodeResponse: encodeGeminiResponse,
  createStreamDecoder: (warnings) => new GeminiStreamDecoder(warnings),
  errorFamily: 'google',
  encodeErrorBody: (error) => geminiErrorBody(error.status, error.message),
  isErrorBody: isGeminiErrorBody,
  encodeStreamFailure: geminiStreamFailure,
  streamErrorSignature: geminiStreamErrorSignature,
  streamInBody: false,
  modelInBody: false,
  tokenCountRequest: geminiTokenCountRequest,
  encodeTokenCount: (tokens) => ({ totalTokens: tokens }),
  asksForThinking: geminiAsksForThinking,
  carriesWebSearch: geminiCarriesWebSearch,
  shaper: geminiShaper,
  createStreamEncoder: (options) => new GeminiStreamEncoder(options),
  usage: geminiUsage,
};
