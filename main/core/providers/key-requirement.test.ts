import { describe, expect, it } from 'vitest';
import { providerTypes } from '../../../shared/config/provider-schema.ts';
import { kindNeedsKey, servedWithoutKey } from './key-requirement.ts';

describe('which kinds take no key', () => {
  it('comes from the adapters: only Ollama', () => {
    expect(providerTypes.filter((type) => !kindNeedsKey(type))).toEqual(['ollama']);
    expect(servedWithoutKey({ type: 'ollama', keys: [] })).toBe(true);
    expect(servedWithoutKey({ type: 'openai', keys: [] })).toBe(false);
  });
});
