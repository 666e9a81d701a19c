import type { Codec } from '../codec.ts';
import { bodyNamesModelAndStream } from '../codec.ts';
import { chatShaper } from './shape-body.ts';
import { chatAsksForThinking, chatCarriesWebSearch } from './request-traits.ts';
import { chatStreamErrorSignature, chatStreamFailure, isOpenaiErrorBody, openaiErrorBody } from './error-body.ts';
import { decodeChatRequest } from './decode-request.ts';
import { decodeChatResponse } from './decode-response.ts';
import { ChatStreamDecoder } from './decode-stream.ts';
import { encodeChatRequest } from './encode-request.ts';
import { encodeChatResponse } from './encode-response.ts';
import { ChatStreamEncoder } from './encode-stream.ts';
import { openaiChatUsage } from './read-usage.ts';

export const openaiChatCodec: Codec = {
  format: 'openai-chat',
  decodeRequest: decodeChatRequest,
  encodeRequest: encodeChatRequest,
  decodeResponse: decodeChatResponse,
  encodeResponse: encodeChatResponse,
  createStreamDecoder: (warnings) => new ChatStreamDecoder(warnings),
  errorFamily: 'openai',
  encodeErrorBody: (error) => openaiErrorBody(error.status, error.message, error.code ?? null),
  isErrorBody: isOpenaiErrorBody,
  encodeStreamFailure: chatStreamFailure,
  streamErrorSignature: chatStreamErrorSignature,
  ...bodyNamesModelAndStream,
  asksForThinking: chatAsksForThinking,
  carriesWebSearch: chatCarriesWebSearch,
  shaper: chatShaper,
  createStreamEncoder: (options) => new ChatStreamEncoder(options),
  usage: openaiChatUsage,
};
