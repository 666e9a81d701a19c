// Canonical response -> Gemini generateContent response for a Gemini client.
import type { CanonicalResponse } from '../canonical/canonical-response.ts';
import type { EncodeResponseOptions } from '../codec.ts';
import type { JsonObject } from '../canonical/json-values.ts';
import { clientToolName } from '../canonical/client-tools.ts';
import { newId } from '../canonical/ids.ts';
import { encodeGeminiParts } from './encode-parts.ts';
import { stopReasonToGemini, usageToGemini } from './gemini-vocabulary.ts';

export function encodeGeminiResponse(response: CanonicalResponse, options: EncodeResponseOptions): JsonObject {
  const parts = encodeGeminiParts(response.content, {
    warnings: options.warnings,
    side: 'client',
    foreignReasoning: 'carry',
    toolName: (name) => clientToolName(name, options),
    resultName: (_id, fallback) => fallback ?? '',
  });
  const candidate: JsonObject = { content: { role: 'model', parts }, finishReason: stopReasonToGemini(response.stopReason), index: 0 };
  return {
    candidates: [candidate],
    usageMetadata: usageToGemini(response.usage),
    modelVersion: options.model,
    responseId: response.id ?? newId(''),
  };
}
