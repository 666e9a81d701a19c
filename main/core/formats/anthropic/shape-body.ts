// Shaping edits of an Anthropic Messages body: `system` (a string or text blocks), `thinking.budget_tokens`,
// `max_tokens` and `temperature` (https://docs.anthropic.com/en/api/messages).
import { isRecord } from '../../../../shared/is-record.ts';
import type { BodyShaper } from '../codec.ts';
import { clampTopLevel, joinPrompt } from '../canonical/shaping-edits.ts';

/** Anthropic's smallest thinking budget. */
const minimumBudget = 1024;

export const anthropicShaper: BodyShaper = {
  addSystemPrompt(draft, text, position) {
    const system = draft.current.system;
    if (Array.isArray(system)) {
      const block = { type: 'text', text };
      const body = draft.edit();
      body.system = position === 'append' ? [...(body.system as unknown[]), block] : [block, ...(body.system as unknown[])];
    } else {
      draft.edit().system = joinPrompt(typeof system === 'string' ? system : '', text, position);
    }
  },
  setThinking(draft, { budgetTokens }) {
    const thinking = draft.current.thinking as Record<string, unknown>;
    if (thinking.type === 'enabled' && thinking.budget_tokens === budgetTokens) return;
    draft.edit().thinking = { ...thinking, type: 'enabled', budget_tokens: budgetTokens };
  },
  clampOutput: (draft, clamp) => clampTopLevel(draft, clamp, ['max_tokens']),
  /**
   * Anthropic requires budget_tokens < max_tokens. After budgets and clamps changed either side, shrink the budget
   * to fit (never below the minimum), and only then grow max_tokens.
   */
  afterLimitsChanged(draft) {
    const thinking = draft.current.thinking;
    const maxTokens = draft.current.max_tokens;
    if (!isRecord(thinking) || thinking.type !== 'enabled' || typeof thinking.budget_tokens !== 'number' || typeof maxTokens !== 'number') return;
    if (thinking.budget_tokens < maxTokens) return;
    const budget = Math.max(minimumBudget, maxTokens - 1);
    const body = draft.edit();
    body.thinking = { ...thinking, budget_tokens: budget };
    if (budget >= maxTokens) body.max_tokens = budget + 1;
  },
};
