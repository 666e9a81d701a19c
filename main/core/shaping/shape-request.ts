import type { WireFormat } from '../../../shared/wire-format.ts';
import type { ModelClampConfig, ShapingConfig } from '../../../shared/config/shaping-schema.ts';
import { matchPattern } from '../../../shared/config/name-pattern.ts';
import { codecFor } from '../formats/codecs.ts';
import { Draft } from '../formats/canonical/draft.ts';
import { thinkingSetting } from './thinking-budget.ts';

export interface ShapedBody {
  body: Record<string, unknown>;
  /** False when no rule changed anything: the caller keeps the client's original bytes. */
  changed: boolean;
}

export function findClamp(clamps: readonly ModelClampConfig[], model: string): ModelClampConfig | undefined {
  return clamps.find((clamp) => matchPattern(clamp.model, model) !== undefined);
}

/**
 * Request shaping (docs/routing.md "Shaping"): the rule sets that apply to one target (its combos' outermost first,
 * then its provider's) edit the client's body in its own format, before it is planned for the target. Each set
 * applies system prompt, then thinking (only to requests that already ask for it), then the clamp of the target
 * model; the format's own invariants are restored afterwards. Where each format keeps these is its codec's
 * knowledge (Codec.shaper). Pure: returns a new body only when something changed.
 */
export function shapeRequest(format: WireFormat, body: Record<string, unknown>, model: string, rules: readonly ShapingConfig[]): ShapedBody {
  if (rules.length === 0) return { body, changed: false };
  const codec = codecFor(format);
  const draft = new Draft(body);
  let limitsTouched = false;
  for (const rule of rules) {
    if (rule.systemPrompt) codec.shaper.addSystemPrompt(draft, rule.systemPrompt.text, rule.systemPrompt.position);
    if (rule.thinking) {
      const setting = thinkingSetting(rule.thinking);
      if (setting && codec.asksForThinking(draft.current)) codec.shaper.setThinking(draft, setting);
      limitsTouched = true;
    }
    const clamp = findClamp(rule.clamps ?? [], model);
    if (clamp) {
      codec.shaper.clampOutput(draft, clamp);
      limitsTouched = true;
    }
  }
  if (limitsTouched && draft.changed) codec.shaper.afterLimitsChanged?.(draft);
  return { body: draft.current, changed: draft.changed };
}
