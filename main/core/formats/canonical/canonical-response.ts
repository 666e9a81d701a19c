import type { ReasoningPart, TextPart, ToolCallPart } from './canonical-request.ts';

/**
 * Token counts of one response. `inputTokens` is the whole prompt, cached parts included (as OpenAI counts it);
 * `cacheReadTokens` / `cacheWriteTokens` say how much of it was read from / written to a prompt cache.
 * `outputTokens` includes `reasoningTokens`.
 */
export interface CanonicalUsage {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
}

/**
 * Why the model stopped, in Switchyard's words. `refusal` covers safety / content filters;
 * `context_window_exceeded` is Anthropic's model_context_window_exceeded; `other` is anything a format reports
 * that has no neutral meaning (Gemini MALFORMED_FUNCTION_CALL, OTHER...).
 */
export type CanonicalStopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'refusal'
  | 'pause_turn'
  | 'context_window_exceeded'
  | 'other';

export type CanonicalOutputPart = TextPart | ToolCallPart | ReasoningPart;

export interface CanonicalResponse {
  id?: string;
  model?: string;
  content: CanonicalOutputPart[];
  stopReason: CanonicalStopReason;
  stopSequence?: string;
  usage: CanonicalUsage;
}

export function mergeUsage(into: CanonicalUsage, update: CanonicalUsage | undefined): CanonicalUsage {
  if (!update) return into;
  const merged: CanonicalUsage = { ...into };
  for (const key of Object.keys(update) as (keyof CanonicalUsage)[]) {
    const value = update[key];
    if (typeof value === 'number' && Number.isFinite(value)) merged[key] = value;
  }
  return merged;
}

export function hasUsage(usage: CanonicalUsage | undefined): boolean {
  return !!usage && Object.values(usage).some((value) => typeof value === 'number');
}
