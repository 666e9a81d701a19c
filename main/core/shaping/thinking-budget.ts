import type { WireFormat } from '../../../shared/wire-format.ts';
import type { EffortLevel, ThinkingShapingConfig } from '../../../shared/config/shaping-schema.ts';
import { codecFor } from '../formats/codecs.ts';
import type { Draft } from './draft.ts';
import { isRecord } from '../../../shared/is-record.ts';

const defaultBudgets: Record<EffortLevel, number> = { low: 2048, medium: 8192, high: 24576 };

/** The effort level whose budget is nearest to `budget` (for OpenAI formats, which take levels, not budgets). */
export function effortForBudget(budget: number, budgets: Record<EffortLevel, number>): EffortLevel {
  const levels: EffortLevel[] = ['low', 'medium', 'high'];
  return levels.reduce((best, level) => (Math.abs(budgets[level] - budget) < Math.abs(budgets[best] - budget) ? level : best), 'low');
}

/**
 * Thinking budget mode (docs/routing.md "Shaping"). Only requests that already ask for thinking are touched:
 * `fixed` gives them `budgetTokens` (OpenAI formats: the nearest effort level), `effort` gives them the effort level
 * (Anthropic and Gemini: that level's token budget). `passthrough` leaves everything as the client sent it.
 */
export function applyThinking(format: WireFormat, draft: Draft, rule: ThinkingShapingConfig): void {
  if (rule.mode === 'passthrough' || !codecFor(format).asksForThinking(draft.current)) return;
  const budgets = { ...defaultBudgets, ...rule.effortBudgets };
  let budget: number;
  let effort: EffortLevel;
  if (rule.mode === 'fixed') {
    if (rule.budgetTokens === undefined) return;
    budget = rule.budgetTokens;
    effort = effortForBudget(budget, budgets);
  } else {
    if (rule.effort === undefined) return;
    effort = rule.effort;
    budget = budgets[effort];
  }

  switch (format) {
    case 'anthropic': {
      const thinking = draft.current.thinking as Record<string, unknown>;
      if (thinking.type === 'enabled' && thinking.budget_tokens === budget) return;
      draft.edit().thinking = { ...thinking, type: 'enabled', budget_tokens: budget };
      return;
    }
    case 'openai-chat':
      if (draft.current.reasoning_effort !== effort) draft.edit().reasoning_effort = effort;
      return;
    case 'openai-responses': {
      const reasoning = draft.current.reasoning as Record<string, unknown>;
      if (reasoning.effort !== effort) draft.edit().reasoning = { ...reasoning, effort };
      return;
    }
    case 'gemini': {
      const generation = draft.current.generationConfig as Record<string, unknown>;
      const thinking = generation.thinkingConfig as Record<string, unknown>;
      if (thinking.thinkingBudget === budget && thinking.thinkingLevel === undefined) return;
      const { thinkingLevel: _level, ...rest } = thinking;
      draft.edit().generationConfig = { ...generation, thinkingConfig: { ...rest, thinkingBudget: budget } };
      return;
    }
  }
}

/**
 * Anthropic requires budget_tokens < max_tokens (PROTOCOLS.md §1). After budgets and clamps changed either side,
 * shrink the budget to fit (never below the 1024 minimum), and only then grow max_tokens.
 */
export function keepAnthropicBudgetBelowMax(draft: Draft): void {
  const thinking = draft.current.thinking;
  const maxTokens = draft.current.max_tokens;
  if (!isRecord(thinking) || thinking.type !== 'enabled' || typeof thinking.budget_tokens !== 'number' || typeof maxTokens !== 'number') return;
  if (thinking.budget_tokens < maxTokens) return;
  const budget = Math.max(1024, maxTokens - 1);
  const body = draft.edit();
  body.thinking = { ...thinking, budget_tokens: budget };
  if (budget >= maxTokens) body.max_tokens = budget + 1;
}
