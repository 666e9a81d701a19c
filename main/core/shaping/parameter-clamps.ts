import type { WireFormat } from '../../../shared/wire-format.ts';
import type { ModelClampConfig } from '../../../shared/config/shaping-schema.ts';
import { matchPattern } from '../../../shared/config/name-pattern.ts';
import type { Draft } from './draft.ts';
import { isRecord } from '../../../shared/is-record.ts';

/** Where each format keeps the output limit and the temperature (PROTOCOLS.md §1-4). Gemini nests them. */
const outputFields: Record<WireFormat, string[]> = {
  anthropic: ['max_tokens'],
  'openai-chat': ['max_tokens', 'max_completion_tokens'],
  'openai-responses': ['max_output_tokens'],
  gemini: ['maxOutputTokens'],
};

export function findClamp(clamps: readonly ModelClampConfig[], model: string): ModelClampConfig | undefined {
  return clamps.find((clamp) => matchPattern(clamp.model, model) !== undefined);
}

function lower(container: Record<string, unknown>, field: string, limit: number | undefined): boolean {
  const value = container[field];
  return limit !== undefined && typeof value === 'number' && value > limit;
}

/**
 * Model-specific limits: a max_tokens (or its equivalent) above the model's output limit is lowered to it instead of
 * earning a 400 from the provider; likewise a temperature above the model's range. Values within limits are untouched.
 */
export function applyClamp(format: WireFormat, draft: Draft, clamp: ModelClampConfig): void {
  const fields = outputFields[format];
  if (format === 'gemini') {
    const generation = draft.current.generationConfig;
    if (!isRecord(generation)) return;
    const next: Record<string, unknown> = { ...generation };
    let changed = false;
    if (lower(generation, 'maxOutputTokens', clamp.maxOutputTokens)) {
      next.maxOutputTokens = clamp.maxOutputTokens;
      changed = true;
    }
    if (lower(generation, 'temperature', clamp.maxTemperature)) {
      next.temperature = clamp.maxTemperature;
      changed = true;
    }
    if (changed) draft.edit().generationConfig = next;
    return;
  }
  for (const field of fields) if (lower(draft.current, field, clamp.maxOutputTokens)) draft.edit()[field] = clamp.maxOutputTokens;
  if (lower(draft.current, 'temperature', clamp.maxTemperature)) draft.edit().temperature = clamp.maxTemperature;
}
