// Shaping edits of a Responses body: `instructions`, `reasoning.effort`, `max_output_tokens` and `temperature`
// (https://platform.openai.com/docs/api-reference/responses/create).
import type { BodyShaper } from '../codec.ts';
import { clampTopLevel, joinPrompt } from '../canonical/shaping-edits.ts';

export const responsesShaper: BodyShaper = {
  addSystemPrompt(draft, text, position) {
    const instructions = draft.current.instructions;
    draft.edit().instructions = joinPrompt(typeof instructions === 'string' ? instructions : '', text, position);
  },
  setThinking(draft, { effort }) {
    const reasoning = draft.current.reasoning as Record<string, unknown>;
    if (reasoning.effort !== effort) draft.edit().reasoning = { ...reasoning, effort };
  },
  clampOutput: (draft, clamp) => clampTopLevel(draft, clamp, ['max_output_tokens']),
};
