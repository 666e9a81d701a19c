// Anthropic Messages response (non-streaming) -> canonical.
import type { CanonicalOutputPart, CanonicalResponse } from '../canonical/canonical-response.ts';
import { isRecord, requireArray, requireRecord, stringOr } from '../canonical/json-values.ts';
import type { Warnings } from '../canonical/warnings.ts';
import { stopReasonFromAnthropic, usageFromAnthropic } from './anthropic-vocabulary.ts';

export function decodeAnthropicResponse(body: unknown, warnings: Warnings): CanonicalResponse {
  const record = requireRecord(body, 'response');
  const content: CanonicalOutputPart[] = [];
  for (const block of requireArray(record.content ?? [], 'response.content')) {
    if (!isRecord(block)) continue;
    switch (block.type) {
      case 'text':
        content.push({ type: 'text', text: stringOr(block.text, '')! });
        break;
      case 'tool_use':
        content.push({ type: 'tool_call', id: stringOr(block.id, '')!, name: stringOr(block.name, '')!, arguments: JSON.stringify(block.input ?? {}), kind: 'function' });
        break;
      case 'thinking':
        content.push({ type: 'reasoning', origin: 'anthropic', text: stringOr(block.thinking, '')!, ...(typeof block.signature === 'string' ? { signature: block.signature } : {}) });
        break;
      case 'redacted_thinking':
        content.push({ type: 'reasoning', origin: 'anthropic', redactedData: stringOr(block.data, '')! });
        break;
      default:
        warnings.add(`Anthropic response blocks of type ${String(block.type)} cannot be translated; dropped.`);
    }
  }
  const response: CanonicalResponse = {
    content,
    stopReason: stopReasonFromAnthropic(record.stop_reason),
    usage: usageFromAnthropic(record.usage) ?? {},
  };
  if (typeof record.id === 'string') response.id = record.id;
  if (typeof record.model === 'string') response.model = record.model;
  if (typeof record.stop_sequence === 'string') response.stopSequence = record.stop_sequence;
  return response;
}
