// Converting between the ways formats say "how much to think" (docs/translation.md, "Thinking").
// Anthropic and Gemini 2.5 take a token budget; OpenAI and Gemini 3 take an effort level.
import type { CanonicalThinking, ReasoningEffort } from './canonical-request.ts';

const budgetByEffort: Record<ReasoningEffort, number> = {
  none: 0,
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 24576,
  max: 32768,
};

export function budgetForEffort(effort: ReasoningEffort): number {
  return budgetByEffort[effort];
}

export function effortForBudget(budget: number): ReasoningEffort {
  if (budget <= 0) return 'none';
  if (budget <= 1024) return 'minimal';
  if (budget <= 4096) return 'low';
  if (budget <= 12288) return 'medium';
  return 'high';
}

/** The budget a thinking request implies, or undefined for "let the model decide". */
export function thinkingBudget(thinking: CanonicalThinking): number | undefined {
  if (thinking.budgetTokens !== undefined) return thinking.budgetTokens;
  if (thinking.effort) return budgetForEffort(thinking.effort);
  return undefined;
}

/** The effort a thinking request implies. */
export function thinkingEffort(thinking: CanonicalThinking): ReasoningEffort | undefined {
  if (thinking.effort) return thinking.effort;
  if (thinking.budgetTokens !== undefined) return effortForBudget(thinking.budgetTokens);
  return thinking.mode === 'adaptive' ? 'medium' : undefined;
}

export function isThinkingOn(thinking: CanonicalThinking | undefined): thinking is CanonicalThinking {
  return !!thinking && thinking.mode !== 'disabled' && thinking.effort !== 'none';
}

const efforts: readonly string[] = Object.keys(budgetByEffort);

export function readEffort(value: unknown): ReasoningEffort | undefined {
  return typeof value === 'string' && efforts.includes(value) ? (value as ReasoningEffort) : undefined;
}
