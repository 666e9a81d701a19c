// Canonical response -> Anthropic Messages response for an Anthropic client.
import type { CanonicalResponse } from '../canonical/canonical-response.ts';
import type { EncodeResponseOptions } from '../codec.ts';
import type { JsonObject } from '../canonical/json-values.ts';
import { clientToolName } from '../canonical/client-tools.ts';
import { newId } from '../canonical/ids.ts';
import { stopReasonToAnthropic, usageToAnthropic } from './anthropic-vocabulary.ts';
import { encodeAnthropicParts } from './encode-parts.ts';

export function encodeAnthropicResponse(response: CanonicalResponse, options: EncodeResponseOptions): JsonObject {
  const content = encodeAnthropicParts(response.content, {
    warnings: options.warnings,
    foreignReasoning: 'carry',
    toolCallId: (id) => id,
    toolName: (name) => clientToolName(name, options),
    keepCacheControl: false,
  });
  return {
    id: response.id?.startsWith('msg_') ? response.id : newId('msg_'),
    type: 'message',
    role: 'assistant',
    model: options.model,
    content,
    stop_reason: stopReasonToAnthropic(response.stopReason),
    stop_sequence: response.stopSequence ?? null,
    usage: usageToAnthropic(response.usage),
  };
}
