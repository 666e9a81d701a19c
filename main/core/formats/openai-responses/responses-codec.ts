import type { Codec } from '../codec.ts';
import { decodeResponsesRequest } from './decode-request.ts';
import { decodeResponsesResponse } from './decode-response.ts';
import { ResponsesStreamDecoder } from './decode-stream.ts';
import { encodeResponsesRequest } from './encode-request.ts';
import { encodeResponsesResponse } from './encode-response.ts';
import { ResponsesStreamEncoder } from './encode-stream.ts';
import { openaiResponsesUsage } from './read-usage.ts';

export const openaiResponsesCodec: Codec = {
  format: 'openai-responses',
  decodeRequest: decodeResponsesRequest,
  encodeRequest: encodeResponsesRequest,
  decodeResponse: decodeResponsesResponse,
  encodeResponse: encodeResponsesResponse,
  createStreamDecoder: (warnings) => new ResponsesStreamDecoder(warnings),
  createStreamEncoder: (options) => new ResponsesStreamEncoder(options),
  usage: openaiResponsesUsage,
};
