import type { WireFormat } from '../../../shared/wire-format.ts';
import type { ShapingConfig } from '../../../shared/config/shaping-schema.ts';
import { Draft } from './draft.ts';
import { applyClamp, findClamp } from './parameter-clamps.ts';
import { applySystemPrompt } from './system-prompt.ts';
import { applyThinking, keepAnthropicBudgetBelowMax } from './thinking-budget.ts';

export interface ShapedBody {
  body: Record<string, unknown>;
  /** False when no rule changed anything: the caller keeps the client's original bytes. */
  changed: boolean;
}

/**
 * Request shaping (docs/routing.md "Shaping"): the rule sets that apply to one target (its combos' outermost first,
 * then its provider's) edit the client's body in its own format, before it is planned for the target. Each set
 * applies system prompt, then thinking, then the clamp of the target model; Anthropic's budget is then kept below
 * max_tokens. Pure: returns a new body only when something changed.
 */
export function shapeRequest(format: WireFormat, body: Record<string, unknown>, model: string, rules: readonly ShapingConfig[]): ShapedBody {
  if (rules.length === 0) return { body, changed: false };
  const draft = new Draft(body);
  let limitsTouched = false;
  for (const rule of rules) {
    if (rule.systemPrompt) applySystemPrompt(format, draft, rule.systemPrompt);
    if (rule.thinking) {
      applyThinking(format, draft, rule.thinking);
      limitsTouched = true;
    }
    const clamp = findClamp(rule.clamps ?? [], model);
    if (clamp) {
      applyClamp(format, draft, clamp);
      limitsTouched = true;
    }
  }
  if (format === 'anthropic' && limitsTouched && draft.changed) keepAnthropicBudgetBelowMax(draft);
  return { body: draft.current, changed: draft.changed };
}
