// Shaping edits of a Chat Completions body: a system message, `reasoning_effort`, `max_tokens` /
// `max_completion_tokens` and `temperature` (https://platform.openai.com/docs/api-reference/chat/create).
import { isRecord } from '../../../../shared/is-record.ts';
import type { BodyShaper } from '../codec.ts';
import { clampTopLevel } from '../canonical/shaping-edits.ts';

export const chatShaper: BodyShaper = {
  /** A system message before the conversation, or (append) after the client's leading system/developer messages. */
  addSystemPrompt(draft, text, position) {
    const messages = Array.isArray(draft.current.messages) ? (draft.current.messages as unknown[]) : [];
    let index = 0;
    if (position === 'append') {
      while (index < messages.length && isRecord(messages[index]) && ['system', 'developer'].includes((messages[index] as { role?: string }).role ?? '')) index += 1;
    }
    const body = draft.edit();
    body.messages = [...messages.slice(0, index), { role: 'system', content: text }, ...messages.slice(index)];
  },
  setThinking(draft, { effort }) {
    if (draft.current.reasoning_effort !== effort) draft.edit().reasoning_effort = effort;
  },
  clampOutput: (draft, clamp) => clampTopLevel(draft, clamp, ['max_tokens', 'max_completion_tokens']),
};
