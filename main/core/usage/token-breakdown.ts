// The one breakdown the ledger stores, whatever the vendor's convention (docs/usage.md "Tokens"):
// - inputTokens: prompt tokens read neither from nor into a prompt cache (Anthropic's input_tokens; OpenAI's
//   prompt_tokens and Gemini's promptTokenCount minus their cached part);
// - cacheReadTokens / cacheWriteTokens: prompt tokens read from / written to a cache;
// - outputTokens: every generated token, reasoning included; reasoningTokens repeats the reasoning part of it.
// So input + cacheRead + cacheWrite is the whole prompt and input + cacheRead + cacheWrite + output the whole bill.
import type { CanonicalUsage } from '../formats/canonical/canonical-response.ts';

export interface TokenBreakdown {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
}

export const noTokens: TokenBreakdown = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };

const count = (value: number | undefined) => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0);

/** Canonical usage (whole prompt in inputTokens, cached parts included) -> the ledger's breakdown. */
export function tokenBreakdown(usage: CanonicalUsage): TokenBreakdown {
  const cacheReadTokens = count(usage.cacheReadTokens);
  const cacheWriteTokens = count(usage.cacheWriteTokens);
  const outputTokens = count(usage.outputTokens);
  return {
    inputTokens: Math.max(0, count(usage.inputTokens) - cacheReadTokens - cacheWriteTokens),
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    reasoningTokens: Math.min(count(usage.reasoningTokens), outputTokens),
  };
}

export function totalTokens(tokens: TokenBreakdown): number {
  return tokens.inputTokens + tokens.cacheReadTokens + tokens.cacheWriteTokens + tokens.outputTokens;
}
