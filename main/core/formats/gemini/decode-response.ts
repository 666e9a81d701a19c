// Gemini generateContent response (non-streaming) -> canonical. Function calls without an id get a synthesized
// one (tool-naming.ts) that is stripped again before the history goes back to Gemini.
import type { CanonicalOutputPart, CanonicalResponse } from '../canonical/canonical-response.ts';
import { arrayOr, isRecord, requireRecord, stringOr, type JsonObject } from '../canonical/json-values.ts';
import { synthesizeToolCallId } from '../canonical/tool-naming.ts';
import type { Warnings } from '../canonical/warnings.ts';
import { stopReasonFromGemini, usageFromGemini } from './gemini-vocabulary.ts';

/** Code Assist wraps each response as {response: {...}}; plain Gemini does not. */
export function unwrapGeminiResponse(body: JsonObject): JsonObject {
  return !('candidates' in body) && isRecord(body.response) ? body.response : body;
}

export function decodeGeminiPart(part: JsonObject, warnings: Warnings): CanonicalOutputPart | undefined {
  const signature = typeof part.thoughtSignature === 'string' ? part.thoughtSignature : undefined;
  if (typeof part.text === 'string') {
    if (part.thought === true) return { type: 'reasoning', origin: 'gemini', text: part.text, ...(signature ? { signature } : {}) };
    return { type: 'text', text: part.text, ...(signature ? { thoughtSignature: signature } : {}) };
  }
  if (isRecord(part.functionCall)) {
    const call = part.functionCall;
    return {
      type: 'tool_call',
      id: stringOr(call.id) || synthesizeToolCallId(),
      name: stringOr(call.name, '')!,
      arguments: JSON.stringify(call.args ?? {}),
      kind: 'function',
      ...(signature ? { thoughtSignature: signature } : {}),
    };
  }
  warnings.add(`Gemini response parts with ${Object.keys(part).join(', ')} cannot be translated; dropped.`);
  return undefined;
}

export function decodeGeminiResponse(body: unknown, warnings: Warnings): CanonicalResponse {
  const record = unwrapGeminiResponse(requireRecord(body, 'response'));
  const candidates = arrayOr(record.candidates) ?? [];
  if (candidates.length > 1) warnings.add('The upstream returned several candidates; only the first is kept.');
  const candidate = isRecord(candidates[0]) ? candidates[0] : {};
  const parts = isRecord(candidate.content) ? (arrayOr(candidate.content.parts) ?? []) : [];
  const content: CanonicalOutputPart[] = [];
  for (const item of parts) {
    if (!isRecord(item)) continue;
    const part = decodeGeminiPart(item, warnings);
    if (!part) continue;
    const previous = content.at(-1);
    // Gemini may split one text into several parts; join them unless a signature marks a boundary.
    if (part.type === 'text' && previous?.type === 'text' && !previous.thoughtSignature && !part.thoughtSignature) previous.text += part.text;
    else if (part.type === 'reasoning' && previous?.type === 'reasoning' && previous.origin === 'gemini' && !previous.signature) {
      previous.text = (previous.text ?? '') + (part.text ?? '');
      if (part.signature) previous.signature = part.signature;
    } else content.push(part);
  }
  const blocked = candidates.length === 0 && isRecord(record.promptFeedback) && record.promptFeedback.blockReason !== undefined;
  if (blocked) warnings.add(`Gemini blocked the prompt: ${String((record.promptFeedback as JsonObject).blockReason)}.`);
  const response: CanonicalResponse = {
    content: content.filter((part) => !(part.type === 'text' && part.text === '' && !part.thoughtSignature)),
    stopReason: blocked ? 'refusal' : stopReasonFromGemini(candidate.finishReason, content.some((part) => part.type === 'tool_call')),
    usage: usageFromGemini(record.usageMetadata) ?? {},
  };
  if (typeof record.responseId === 'string') response.id = record.responseId;
  if (typeof record.modelVersion === 'string') response.model = record.modelVersion;
  return response;
}
