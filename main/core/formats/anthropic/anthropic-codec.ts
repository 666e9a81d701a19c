import type { Codec } from '../codec.ts';
import { bodyNamesModelAndStream } from '../codec.ts';
import { anthropicShaper } from './shape-body.ts';
import { anthropicAsksForThinking, anthropicCarriesWebSearch } from './request-traits.ts';
import { anthropicErrorBody, anthropicStreamErrorSignature, anthropicStreamFailure, isAnthropicErrorBody } from './error-body.ts';
import { decodeAnthropicRequest } from './decode-request.ts';
import { decodeAnthropicResponse } from './decode-response.ts';
import { AnthropicStreamDecoder } from './decode-stream.ts';
import { encodeAnthropicRequest } from './encode-request.ts';
import { encodeAnthropicResponse } from './encode-response.ts';
import { AnthropicStreamEncoder } from './encode-stream.ts';
import { anthropicUsage } from './read-usage.ts';

export const anthropicCodec: Codec = {
  format: 'anthropic',
  decodeRequest: decodeAnthropicRequest,
  encodeRequest: encodeAnthropicRequest,
  decodeResponse: decodeAnthropicResponse,
  encodeResponse: encodeAnthropicResponse,
  createStreamDecoder: (warnings) => new AnthropicStreamDecoder(warnings),
  errorFamily: 'anthropic',
  encodeErrorBody: (error) => anthropicErrorBody(error.status, error.message),
  isErrorBody: isAnthropicErrorBody,
  encodeStreamFailure: anthropicStreamFailure,
  streamErrorSignature: anthropicStreamErrorSignature,
  ...bodyNamesModelAndStream,
  asksForThinking: anthropicAsksForThinking,
  carriesWebSearch: anthropicCarriesWebSearch,
  shaper: anthropicShaper,
  createStreamEncoder: (options) => new AnthropicStreamEncoder(options),
  usage: anthropicUsage,
};
