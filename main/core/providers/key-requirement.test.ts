import { describe, expect, it } from 'vitest';
import { providerTypes } from '../../../shared/config/provider-schema.ts';
import { kindNeedsKey, servedWithoutKey } from './key-requirement.ts';

describe('which kinds take no key', () => {
  it('comes from the adapters: Ollama takes nothing, account kinds take accounts instead of keys', () => {
    expect(providerTypes.filter((type) => !kindNeedsKey(type))).toEqual(['ollama', 'copilot', 'codex', 'kiro', 'gemini-cli']);
    expect(servedWithoutKey({ type: 'ollama', keys: [] })).toBe(true);
    expect(servedWithoutKey({ type: 'openai', keys: [] })).toBe(false);
    // An account kind with no account is not served through a made-up slot: it waits for a sign-in.
    expect(servedWithoutKey({ type: 'copilot', keys: [] })).toBe(false);
    expect(servedWithoutKey({ type: 'codex', keys: [] })).toBe(false);
  });
});
