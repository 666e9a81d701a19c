// Gemini finish reasons and usage metadata in canonical terms (docs/wire-formats.md, Gemini API).
import type { CanonicalStopReason, CanonicalUsage } from '../canonical/canonical-response.ts';
import { isRecord, numberOr } from '../canonical/json-values.ts';

const refusalReasons = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION', 'LANGUAGE']);

export function stopReasonFromGemini(value: unknown, hasFunctionCalls: boolean): CanonicalStopReason {
  if (value === 'MAX_TOKENS') return 'max_tokens';
  if (typeof value === 'string' && refusalReasons.has(value)) return 'refusal';
  if (value === 'STOP' || value === undefined || value === null || value === 'FINISH_REASON_UNSPECIFIED') return hasFunctionCalls ? 'tool_use' : 'end_turn';
  return 'other';
}

export function stopReasonToGemini(reason: CanonicalStopReason): string {
  switch (reason) {
    case 'max_tokens':
    case 'context_window_exceeded':
      return 'MAX_TOKENS';
    case 'refusal':
      return 'SAFETY';
    case 'other':
      return 'OTHER';
    default:
      return 'STOP';
  }
}

/** Gemini counts thoughts apart from candidates; canonical output includes reasoning. */
export function usageFromGemini(value: unknown): CanonicalUsage | undefined {
  if (!isRecord(value)) return undefined;
  const usage: CanonicalUsage = {};
  const prompt = numberOr(value.promptTokenCount);
  const toolPrompt = numberOr(value.toolUsePromptTokenCount) ?? 0;
  if (prompt !== undefined) usage.inputTokens = prompt + toolPrompt;
  const candidates = numberOr(value.candidatesTokenCount);
  const thoughts = numberOr(value.thoughtsTokenCount);
  if (candidates !== undefined || thoughts !== undefined) usage.outputTokens = (candidates ?? 0) + (thoughts ?? 0);
  if (thoughts !== undefined) usage.reasoningTokens = thoughts;
  const cached = numberOr(value.cachedContentTokenCount);
  if (cached !== undefined) usage.cacheReadTokens = cached;
  return usage;
}

export function usageToGemini(usage: CanonicalUsage | undefined): Record<string, number> {
  const input = usage?.inputTokens ?? 0;
  const output = usage?.outputTokens ?? 0;
  const thoughts = usage?.reasoningTokens ?? 0;
  const encoded: Record<string, number> = {
    promptTokenCount: input,
    candidatesTokenCount: Math.max(0, output - thoughts),
    totalTokenCount: input + output,
  };
  if (thoughts) encoded.thoughtsTokenCount = thoughts;
  if (usage?.cacheReadTokens) encoded.cachedContentTokenCount = usage.cacheReadTokens;
  return encoded;
}

const statusByGoogleStatus: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

export function httpStatusForGoogleError(error: Record<string, unknown>): number {
  const code = numberOr(error.code);
  if (code !== undefined && code >= 400 && code < 600) return code;
  return (typeof error.status === 'string' && statusByGoogleStatus[error.status]) || 500;
}
