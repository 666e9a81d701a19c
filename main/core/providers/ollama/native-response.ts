import { randomUUID } from 'node:crypto';
import { isRecord } from '../../../../shared/is-record.ts';

// Ollama native /api/chat answers -> OpenAI Chat Completions answers (docs/wire-formats.md, Ollama). A complete answer is one
// JSON object; a stream is NDJSON, one object per line, the last with `done: true` and the token counts.

type Json = Record<string, unknown>;


export interface NativeToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** Ollama tool calls carry object arguments and often no id; OpenAI clients need a string and an id to answer. */
export function toOpenaiToolCalls(calls: unknown): NativeToolCall[] {
  if (!Array.isArray(calls)) return [];
  return calls.filter(isRecord).map((call) => {
    const fn = isRecord(call.function) ? call.function : {};
    const args = fn.arguments;
    return {
      id: typeof call.id === 'string' && call.id !== '' ? call.id : `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
      type: 'function',
      function: { name: String(fn.name ?? ''), arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) },
    };
  });
}

export function finishReason(doneReason: unknown, hasToolCalls: boolean): string {
  if (hasToolCalls) return 'tool_calls';
  return doneReason === 'length' ? 'length' : 'stop';
}

export function usageOf(answer: Json): Json {
  const prompt = typeof answer.prompt_eval_count === 'number' ? answer.prompt_eval_count : 0;
  const completion = typeof answer.eval_count === 'number' ? answer.eval_count : 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export function createdSeconds(answer: Json): number {
  const parsed = typeof answer.created_at === 'string' ? Date.parse(answer.created_at) : Number.NaN;
  return Math.floor((Number.isFinite(parsed) ? parsed : Date.now()) / 1000);
}

/** A complete native answer as an OpenAI `chat.completion`. */
export function toChatCompletion(answer: Json): Json {
  const message = isRecord(answer.message) ? answer.message : {};
  const toolCalls = toOpenaiToolCalls(message.tool_calls);
  const output: Json = { role: 'assistant', content: typeof message.content === 'string' ? message.content : '' };
  if (typeof message.thinking === 'string' && message.thinking !== '') output.reasoning_content = message.thinking;
  if (toolCalls.length > 0) output.tool_calls = toolCalls;
  return {
    id: `chatcmpl-${randomUUID().replace(/-/g, '').slice(0, 24)}`,
    object: 'chat.completion',
    created: createdSeconds(answer),
    model: String(answer.model ?? ''),
    choices: [{ index: 0, message: output, logprobs: null, finish_reason: finishReason(answer.done_reason, toolCalls.length > 0) }],
    usage: usageOf(answer),
  };
}
