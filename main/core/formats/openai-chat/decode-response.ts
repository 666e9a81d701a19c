// OpenAI Chat Completions response (non-streaming) -> canonical.
import type { CanonicalOutputPart, CanonicalResponse } from '../canonical/canonical-response.ts';
import { arrayOr, isRecord, requireRecord, stringOr } from '../canonical/json-values.ts';
import { synthesizeToolCallId } from '../canonical/tool-naming.ts';
import type { Warnings } from '../canonical/warnings.ts';
import { stopReasonFromChat, usageFromChat } from './chat-vocabulary.ts';

export function decodeChatResponse(body: unknown, warnings: Warnings): CanonicalResponse {
  const record = requireRecord(body, 'response');
  const choices = arrayOr(record.choices) ?? [];
  if (choices.length > 1) warnings.add('The upstream returned several choices; only the first is kept.');
  const choice = isRecord(choices[0]) ? choices[0] : {};
  const message = isRecord(choice.message) ? choice.message : {};
  const content: CanonicalOutputPart[] = [];
  const reasoning = stringOr(message.reasoning_content) ?? stringOr(message.reasoning);
  if (reasoning) content.push({ type: 'reasoning', origin: 'openai-chat', text: reasoning });
  if (typeof message.content === 'string' && message.content !== '') content.push({ type: 'text', text: message.content });
  let stopReason = stopReasonFromChat(choice.finish_reason);
  if (typeof message.refusal === 'string' && message.refusal !== '') {
    content.push({ type: 'text', text: message.refusal });
    stopReason = 'refusal';
  }
  for (const call of arrayOr(message.tool_calls) ?? []) {
    if (!isRecord(call)) continue;
    const id = stringOr(call.id) || synthesizeToolCallId();
    if (call.type === 'custom' && isRecord(call.custom)) {
      content.push({ type: 'tool_call', id, name: stringOr(call.custom.name, '')!, arguments: JSON.stringify({ input: stringOr(call.custom.input, '') }), kind: 'custom' });
    } else if (isRecord(call.function)) {
      content.push({ type: 'tool_call', id, name: stringOr(call.function.name, '')!, arguments: stringOr(call.function.arguments, '')!, kind: 'function' });
    }
  }
  if (stopReason === 'end_turn' && content.some((part) => part.type === 'tool_call')) stopReason = 'tool_use';
  const response: CanonicalResponse = { content, stopReason, usage: usageFromChat(record.usage) ?? {} };
  if (typeof record.id === 'string') response.id = record.id;
  if (typeof record.model === 'string') response.model = record.model;
  return response;
}
