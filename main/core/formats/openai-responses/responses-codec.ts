import type { Codec } from '../codec.ts';
import { bodyNamesModelAndStream } from '../codec.ts';
import { responsesShaper } from './shape-body.ts';
import { responsesAsksForThinking, responsesCarriesWebSearch } from './request-traits.ts';
import { isOpenaiErrorBody, openaiErrorBody } from '../openai-chat/error-body.ts';
import { responsesStreamErrorSignature, responsesStreamFailure } from './error-events.ts';
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
  errorFamily: 'openai',
  encodeErrorBody: (error) => openaiErrorBody(error.status, error.message, error.code ?? null),
  isErrorBody: isOpenaiErrorBody,
  encodeStreamFailure: responsesStreamFailure,
  streamErrorSignature: responsesStreamErrorSignature,
  ...bodyNamesModelAndStream,
  asksForThinking: responsesAsksForThinking,
  carriesWebSearch: responsesCarriesWebSearch,
  shaper: responsesShaper,
  createStreamEncoder: (options) => new ResponsesStreamEncoder(options),
  usage: openaiResponsesUsage,
};
