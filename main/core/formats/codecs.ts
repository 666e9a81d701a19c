import type { WireFormat } from '../../../shared/wire-format.ts';
import type { Codec } from './codec.ts';
import { anthropicCodec } from './anthropic/anthropic-codec.ts';
import { geminiCodec } from './gemini/gemini-codec.ts';
import { openaiChatCodec } from './openai-chat/chat-codec.ts';
import { openaiResponsesCodec } from './openai-responses/responses-codec.ts';

const codecs: Record<WireFormat, Codec> = {
  anthropic: anthropicCodec,
  'openai-chat': openaiChatCodec,
  'openai-responses': openaiResponsesCodec,
  gemini: geminiCodec,
};

export function codecFor(format: WireFormat): Codec {
  return codecs[format];
}
