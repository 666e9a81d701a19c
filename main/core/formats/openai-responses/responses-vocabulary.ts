// OpenAI Responses statuses and usage in canonical terms (docs/wire-formats.md, OpenAI Responses).
import type { CanonicalStopReason, CanonicalUsage } from '../canonical/canonical-response.ts';
import { isRecord, numberOr } from '../canonical/json-values.ts';

export function stopReasonFromResponses(status: unknown, incompleteDetails: unknown, hasToolCalls: boolean): CanonicalStopReason {
  if (status === 'incomplete') {
    const reason = isRecord(incompleteDetails) ? incompleteDetails.reason : undefined;
    return reason === 'content_filter' ? 'refusal' : 'max_tokens';
  }
  if (status === 'failed' || status === 'cancelled') return 'other';
  return hasToolCalls ? 'tool_use' : 'end_turn';
}

/** The status and incomplete_details a Responses client expects for a stop reason. */
export function statusForStopReason(reason: CanonicalStopReason): { status: 'completed' | 'incomplete'; incomplete_details: { reason: string } | null } {
  if (reason === 'max_tokens' || reason === 'context_window_exceeded') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (reason === 'refusal') return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

export function usageFromResponses(value: unknown): CanonicalUsage | undefined {
  if (!isRecord(value)) return undefined;
  const usage: CanonicalUsage = {};
  const input = numberOr(value.input_tokens);
  const output = numberOr(value.output_tokens);
  if (input !== undefined) usage.inputTokens = input;
  if (output !== undefined) usage.outputTokens = output;
  const inputDetails = isRecord(value.input_tokens_details) ? value.input_tokens_details : {};
  const cached = numberOr(inputDetails.cached_tokens);
  if (cached !== undefined) usage.cacheReadTokens = cached;
  const written = numberOr(inputDetails.cache_write_tokens);
  if (written !== undefined) usage.cacheWriteTokens = written;
  const outputDetails = isRecord(value.output_tokens_details) ? value.output_tokens_details : {};
  const reasoning = numberOr(outputDetails.reasoning_tokens);
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}

export function usageToResponses(usage: CanonicalUsage | undefined): Record<string, unknown> {
  const input = usage?.inputTokens ?? 0;
  const output = usage?.outputTokens ?? 0;
  const inputDetails: Record<string, number> = { cached_tokens: usage?.cacheReadTokens ?? 0 };
  if (usage?.cacheWriteTokens !== undefined) inputDetails.cache_write_tokens = usage.cacheWriteTokens;
  return {
    input_tokens: input,
    input_tokens_details: inputDetails,
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage?.reasoningTokens ?? 0 },
    total_tokens: input + output,
  };
}

/** OpenAI error codes Codex understands, for errors Switchyard reports inside a stream. */
export function responsesErrorCode(status: number, code: string | undefined): string {
  if (code === 'rate_limited' || status === 429) return 'rate_limit_exceeded';
  if (code === 'quota_exhausted') return 'insufficient_quota';
  if (code === 'overloaded' || status === 503 || status === 529) return 'server_is_overloaded';
  if (status >= 400 && status < 500) return 'invalid_request_error';
  return 'server_error';
}
