// Shaping edits of a Gemini body: `systemInstruction.parts`, `generationConfig.thinkingConfig.thinkingBudget`,
// `generationConfig.maxOutputTokens` and `temperature` (https://ai.google.dev/api/generate-content).
import { isRecord } from '../../../../shared/is-record.ts';
import type { BodyShaper } from '../codec.ts';
import { clampNested } from '../canonical/shaping-edits.ts';

export const geminiShaper: BodyShaper = {
  addSystemPrompt(draft, text, position) {
    // Gemini clients write systemInstruction (REST JSON) or system_instruction (older samples); keep theirs.
    const field = draft.current.system_instruction !== undefined && draft.current.systemInstruction === undefined ? 'system_instruction' : 'systemInstruction';
    const existing = draft.current[field];
    const parts = isRecord(existing) && Array.isArray(existing.parts) ? existing.parts : [];
    const part = { text };
    const body = draft.edit();
    body[field] = { ...(isRecord(existing) ? existing : {}), parts: position === 'append' ? [...parts, part] : [part, ...parts] };
  },
  setThinking(draft, { budgetTokens }) {
    const generation = draft.current.generationConfig as Record<string, unknown>;
    const thinking = generation.thinkingConfig as Record<string, unknown>;
    if (thinking.thinkingBudget === budgetTokens && thinking.thinkingLevel === undefined) return;
    const { thinkingLevel: _level, ...rest } = thinking;
    draft.edit().generationConfig = { ...generation, thinkingConfig: { ...rest, thinkingBudget: budgetTokens } };
  },
  clampOutput: (draft, clamp) => clampNested(draft, clamp, 'generationConfig', 'maxOutputTokens'),
};
