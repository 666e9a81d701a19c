// Small edits the body shapers of several formats share.
import { isRecord } from '../../../../shared/is-record.ts';
import type { OutputClamp } from '../codec.ts';
import type { Draft } from './draft.ts';

/** A system prompt joined to an existing text one, with a blank line between. */
export function joinPrompt(existing: string, text: string, position: 'prepend' | 'append'): string {
  if (existing === '') return text;
  return position === 'append' ? `${existing}\n\n${text}` : `${text}\n\n${existing}`;
}

function above(container: Record<string, unknown>, field: string, limit: number | undefined): boolean {
  const value = container[field];
  return limit !== undefined && typeof value === 'number' && value > limit;
}

/** Lowers top-level output-limit fields and `temperature` above the clamp (values within limits are untouched). */
export function clampTopLevel(draft: Draft, clamp: OutputClamp, outputFields: readonly string[]): void {
  for (const field of outputFields) if (above(draft.current, field, clamp.maxOutputTokens)) draft.edit()[field] = clamp.maxOutputTokens;
  if (above(draft.current, 'temperature', clamp.maxTemperature)) draft.edit().temperature = clamp.maxTemperature;
}

/** The same for a nested object (Gemini keeps both in `generationConfig`). */
export function clampNested(draft: Draft, clamp: OutputClamp, container: string, outputField: string): void {
  const nested = draft.current[container];
  if (!isRecord(nested)) return;
  const next: Record<string, unknown> = { ...nested };
  let changed = false;
  if (above(nested, outputField, clamp.maxOutputTokens)) {
    next[outputField] = clamp.maxOutputTokens;
    changed = true;
  }
  if (above(nested, 'temperature', clamp.maxTemperature)) {
    next.temperature = clamp.maxTemperature;
    changed = true;
  }
  if (changed) draft.edit()[container] = next;
}
