// Anthropic stop reasons and usage in canonical terms (docs/wire-formats.md, Anthropic Messages).
import type { CanonicalStopReason, CanonicalUsage } from '../canonical/canonical-response.ts';
import { isRecord, numberOr } from '../canonical/json-values.ts';

export function stopReasonFromAnthropic(value: unknown): CanonicalStopReason {
  switch (value) {
    case 'end_turn':
    case 'max_tokens':
    case 'stop_sequence':
    case 'tool_use':
    case 'refusal':
    case 'pause_turn':
      return value;
    case 'model_context_window_exceeded':
      return 'context_window_exceeded';
    default:
      return value === null || value === undefined ? 'end_turn' : 'other';
  }
}

export function stopReasonToAnthropic(reason: CanonicalStopReason): string {
  switch (reason) {
    case 'context_window_exceeded':
      return 'model_context_window_exceeded';
    case 'other':
      return 'end_turn';
    default:
      return reason;
  }
}

/** Anthropic's input_tokens excludes cache reads and writes; canonical input includes them. */
export function usageFromAnthropic(value: unknown): CanonicalUsage | undefined {
  if (!isRecord(value)) return undefined;
  const usage: CanonicalUsage = {};
  const input = numberOr(value.input_tokens);
  const cacheRead = numberOr(value.cache_read_input_tokens);
  const cacheWrite = numberOr(value.cache_creation_input_tokens);
  if (input !== undefined) usage.inputTokens = input + (cacheRead ?? 0) + (cacheWrite ?? 0);
  if (cacheRead !== undefined) usage.cacheReadTokens = cacheRead;
  if (cacheWrite !== undefined) usage.cacheWriteTokens = cacheWrite;
  const output = numberOr(value.output_tokens);
  if (output !== undefined) usage.outputTokens = output;
  return usage;
}

export function usageToAnthropic(usage: CanonicalUsage | undefined): Record<string, number> {
  const cacheRead = usage?.cacheReadTokens ?? 0;
  const cacheWrite = usage?.cacheWriteTokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.inputTokens ?? 0) - cacheRead - cacheWrite),
    output_tokens: usage?.outputTokens ?? 0,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}

const statusByErrorType: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

export function statusForAnthropicErrorType(type: unknown): number {
  return (typeof type === 'string' && statusByErrorType[type]) || 500;
}
