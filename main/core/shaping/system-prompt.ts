import type { WireFormat } from '../../../shared/wire-format.ts';
import type { ShapingConfig } from '../../../shared/config/shaping-schema.ts';
import type { Draft } from './draft.ts';
import { isRecord } from '../../../shared/is-record.ts';

type SystemPrompt = NonNullable<ShapingConfig['systemPrompt']>;

function join(existing: string, text: string, position: SystemPrompt['position']): string {
  if (existing === '') return text;
  return position === 'append' ? `${existing}\n\n${text}` : `${text}\n\n${existing}`;
}

/**
 * Adds a system prompt in each format's own place (PROTOCOLS.md §1-4): Anthropic `system` (string or text blocks),
 * OpenAI Chat a system message (before the conversation, or after the client's leading system/developer messages),
 * Responses `instructions`, Gemini `systemInstruction.parts`.
 */
export function applySystemPrompt(format: WireFormat, draft: Draft, prompt: SystemPrompt): void {
  const { text, position } = prompt;
  switch (format) {
    case 'anthropic': {
      const system = draft.current.system;
      if (Array.isArray(system)) {
        const block = { type: 'text', text };
        const body = draft.edit();
        body.system = position === 'append' ? [...(body.system as unknown[]), block] : [block, ...(body.system as unknown[])];
      } else {
        draft.edit().system = join(typeof system === 'string' ? system : '', text, position);
      }
      return;
    }
    case 'openai-chat': {
      const messages = Array.isArray(draft.current.messages) ? (draft.current.messages as unknown[]) : [];
      let index = 0;
      if (position === 'append') {
        while (index < messages.length && isRecord(messages[index]) && ['system', 'developer'].includes((messages[index] as { role?: string }).role ?? '')) index += 1;
      }
      const body = draft.edit();
      body.messages = [...messages.slice(0, index), { role: 'system', content: text }, ...messages.slice(index)];
      return;
    }
    case 'openai-responses': {
      const instructions = draft.current.instructions;
      draft.edit().instructions = join(typeof instructions === 'string' ? instructions : '', text, position);
      return;
    }
    case 'gemini': {
      // Gemini clients write systemInstruction (REST JSON) or system_instruction (older samples); keep theirs.
      const field = draft.current.system_instruction !== undefined && draft.current.systemInstruction === undefined ? 'system_instruction' : 'systemInstruction';
      const existing = draft.current[field];
      const parts = isRecord(existing) && Array.isArray(existing.parts) ? existing.parts : [];
      const part = { text };
      const body = draft.edit();
      body[field] = { ...(isRecord(existing) ? existing : {}), parts: position === 'append' ? [...parts, part] : [part, ...parts] };
      return;
    }
  }
}
