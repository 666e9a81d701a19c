import type { Codec } from '../codec.ts';
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
  createStreamEncoder: (options) => new GeminiStreamEncoder(options),
  usage: geminiUsage,
};
