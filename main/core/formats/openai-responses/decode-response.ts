// OpenAI Responses response (non-streaming) -> canonical.
import type { CanonicalOutputPart, CanonicalResponse } from '../canonical/canonical-response.ts';
import { arrayOr, isRecord, requireRecord, stringOr, type JsonObject } from '../canonical/json-values.ts';
import type { Warnings } from '../canonical/warnings.ts';
import { stopReasonFromResponses, usageFromResponses } from './responses-vocabulary.ts';

export function decodeResponsesOutputItem(item: JsonObject, warnings: Warnings): CanonicalOutputPart[] {
  switch (item.type) {
    case 'message':
      return (arrayOr(item.content) ?? []).flatMap((part): CanonicalOutputPart[] => {
        if (!isRecord(part)) return [];
        if (part.type === 'output_text') return [{ type: 'text', text: stringOr(part.text, '')! }];
        if (part.type === 'refusal') return [{ type: 'text', text: stringOr(part.refusal, '')! }];
        return [];
      });
    case 'reasoning': {
      const summary = (arrayOr(item.summary) ?? []).map((entry) => (isRecord(entry) ? stringOr(entry.text, '')! : ''));
      const text = (arrayOr(item.content) ?? []).map((entry) => (isRecord(entry) ? stringOr(entry.text, '')! : '')).join('');
      const part: CanonicalOutputPart = { type: 'reasoning', origin: 'openai-responses', summary };
      if (typeof item.id === 'string') part.id = item.id;
      if (text !== '') part.text = text;
      if (typeof item.encrypted_content === 'string') part.encryptedContent = item.encrypted_content;
      return [part];
    }
    case 'function_call':
      return [{ type: 'tool_call', id: stringOr(item.call_id, '')!, name: stringOr(item.name, '')!, arguments: stringOr(item.arguments, '')!, kind: 'function' }];
    case 'custom_tool_call':
      return [{ type: 'tool_call', id: stringOr(item.call_id, '')!, name: stringOr(item.name, '')!, arguments: JSON.stringify({ input: stringOr(item.input, '') }), kind: 'custom' }];
    default:
      warnings.add(`OpenAI Responses output items of type ${String(item.type)} cannot be translated; dropped.`);
      return [];
  }
}

export function decodeResponsesResponse(body: unknown, warnings: Warnings): CanonicalResponse {
  const record = requireRecord(body, 'response');
  const content = (arrayOr(record.output) ?? []).flatMap((item) => (isRecord(item) ? decodeResponsesOutputItem(item, warnings) : []));
  const hasToolCalls = content.some((part) => part.type === 'tool_call');
  if (record.status === 'failed') warnings.add(`The upstream response failed: ${isRecord(record.error) ? String(record.error.message) : 'no reason given'}.`);
  const refused = (arrayOr(record.output) ?? []).some((item) => isRecord(item) && (arrayOr(item.content) ?? []).some((part) => isRecord(part) && part.type === 'refusal'));
  const response: CanonicalResponse = {
    content,
    stopReason: refused ? 'refusal' : stopReasonFromResponses(record.status, record.incomplete_details, hasToolCalls),
    usage: usageFromResponses(record.usage) ?? {},
  };
  if (typeof record.id === 'string') response.id = record.id;
  if (typeof record.model === 'string') response.model = record.model;
  return response;
}
