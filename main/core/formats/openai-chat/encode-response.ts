// Canonical response -> OpenAI Chat Completions response for an OpenAI Chat client.
import type { CanonicalResponse } from '../canonical/canonical-response.ts';
import type { EncodeResponseOptions } from '../codec.ts';
import type { JsonObject } from '../canonical/json-values.ts';
import { clientToolName, isClientCustomTool } from '../canonical/client-tools.ts';
import { newId, nowSeconds } from '../canonical/ids.ts';
import { stopReasonToChat, usageToChat } from './chat-vocabulary.ts';
import { encodeChatAssistant } from './encode-messages.ts';

export function encodeChatResponse(response: CanonicalResponse, options: EncodeResponseOptions): JsonObject {
  const message = encodeChatAssistant(response.content, {
    warnings: options.warnings,
    toolCallId: (id) => id,
    toolName: (name) => clientToolName(name, options),
    side: 'client',
    isCustomTool: (name) => options.customTools.includes(name) || isClientCustomTool(name, options),
  });
  message.refusal = null;
  return {
    id: response.id?.startsWith('chatcmpl') ? response.id : newId('chatcmpl-'),
    object: 'chat.completion',
    created: nowSeconds(),
    model: options.model,
    choices: [{ index: 0, message, finish_reason: stopReasonToChat(response.stopReason), logprobs: null }],
    usage: usageToChat(response.usage),
  };
}
