// OpenAI Chat finish reasons and usage in canonical terms (docs/wire-formats.md, OpenAI Chat Completions).
import type { CanonicalStopReason, CanonicalUsage } from '../canonical/canonical-response.ts';
import { isRecord, numberOr } from '../canonical/json-values.ts';

export function stopReasonFromChat(value: unknown): CanonicalStopReason {
  switch (value) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    case 'stop':
    case null:
    case undefined:
      return 'end_turn';
    default:
      return 'other';
  }
}

export function stopReasonToChat(reason: CanonicalStopReason): string {
  switch (reason) {
    case 'max_tokens':
    case 'context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

export function usageFromChat(value: unknown): CanonicalUsage | undefined {
  if (!isRecord(value)) return undefined;
  const usage: CanonicalUsage = {};
  const input = numberOr(value.prompt_tokens);
  const output = numberOr(value.completion_tokens);
  if (input !== undefined) usage.inputTokens = input;
  if (output !== undefined) usage.outputTokens = output;
  const promptDetails = isRecord(value.prompt_tokens_details) ? value.prompt_tokens_details : {};
  // OpenAI names cache hits prompt_tokens_details.cached_tokens; DeepSeek reports them as prompt_cache_hit_tokens
  // (with prompt_cache_miss_tokens; both inside prompt_tokens) and Moonshot as a top-level cached_tokens.
  const cached = numberOr(promptDetails.cached_tokens) ?? numberOr(value.prompt_cache_hit_tokens) ?? numberOr(value.cached_tokens);
  if (cached !== undefined) usage.cacheReadTokens = cached;
  const written = numberOr(promptDetails.cache_write_tokens);
  if (written !== undefined) usage.cacheWriteTokens = written;
  const completionDetails = isRecord(value.completion_tokens_details) ? value.completion_tokens_details : {};
  const reasoning = numberOr(completionDetails.reasoning_tokens);
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}

export function usageToChat(usage: CanonicalUsage | undefined): Record<string, unknown> {
  const input = usage?.inputTokens ?? 0;
  const output = usage?.outputTokens ?? 0;
  const encoded: Record<string, unknown> = { prompt_tokens: input, completion_tokens: output, total_tokens: input + output };
  const promptDetails: Record<string, number> = { cached_tokens: usage?.cacheReadTokens ?? 0 };
  if (usage?.cacheWriteTokens !== undefined) promptDetails.cache_write_tokens = usage.cacheWriteTokens;
  encoded.prompt_tokens_details = promptDetails;
  encoded.completion_tokens_details = { reasoning_tokens: usage?.reasoningTokens ?? 0 };
  return encoded;
}
