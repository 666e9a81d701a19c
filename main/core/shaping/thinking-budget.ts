import type { EffortLevel, ThinkingShapingConfig } from '../../../shared/config/shaping-schema.ts';
import type { ThinkingSetting } from '../formats/codec.ts';

const defaultBudgets: Record<EffortLevel, number> = { low: 2048, medium: 8192, high: 24576 };

/** The effort level whose budget is nearest to `budget` (for OpenAI formats, which take levels, not budgets). */
export function effortForBudget(budget: number, budgets: Record<EffortLevel, number>): EffortLevel {
  const levels: EffortLevel[] = ['low', 'medium', 'high'];
  return levels.reduce((best, level) => (Math.abs(budgets[level] - budget) < Math.abs(budgets[best] - budget) ? level : best), 'low');
}

/**
 * Thinking budget mode (docs/routing.md "Shaping"), as both a budget and an effort level: `fixed` gives
 * `budgetTokens` (and the nearest effort level), `effort` gives the effort level (and that level's budget).
 * Undefined for `passthrough` or an incomplete rule. Each format's shaper writes the form it speaks.
 */
export function thinkingSetting(rule: ThinkingShapingConfig): ThinkingSetting | undefined {
  if (rule.mode === 'passthrough') return undefined;
  const budgets = { ...defaultBudgets, ...rule.effortBudgets };
  if (rule.mode === 'fixed') return rule.budgetTokens === undefined ? undefined : { budgetTokens: rule.budgetTokens, effort: effortForBudget(rule.budgetTokens, budgets) };
  return rule.effort === undefined ? undefined : { budgetTokens: budgets[rule.effort], effort: rule.effort };
}
