import { describe, expect, it } from 'vitest';
import type { ShapingConfig } from '../../../shared/config/shaping-schema.ts';
import { shapingSchema } from '../../../shared/config/shaping-schema.ts';
import { shapeRequest } from './shape-request.ts';

const rule = (input: unknown): ShapingConfig => shapingSchema.parse(input);

describe('system prompt', () => {
  const prepend = rule({ systemPrompt: { text: 'HOUSE RULES' } });
  const append = rule({ systemPrompt: { text: 'HOUSE RULES', position: 'append' } });

  it('anthropic: string, blocks, or none', () => {
    expect(shapeRequest('anthropic', { system: 'be brief' }, 'm', [prepend]).body.system).toBe('HOUSE RULES\n\nbe brief');
    expect(shapeRequest('anthropic', { system: 'be brief' }, 'm', [append]).body.system).toBe('be brief\n\nHOUSE RULES');
    const blocks = [{ type: 'text', text: 'claude code prompt', cache_control: { type: 'ephemeral' } }];
    expect(shapeRequest('anthropic', { system: blocks }, 'm', [append]).body.system).toEqual([...blocks, { type: 'text', text: 'HOUSE RULES' }]);
    expect(shapeRequest('anthropic', { messages: [] }, 'm', [prepend]).body.system).toBe('HOUSE RULES');
  });

  it('openai chat: before everything, or after the leading system/developer messages', () => {
    const messages = [{ role: 'developer', content: 'dev' }, { role: 'user', content: 'hi' }];
    expect(shapeRequest('openai-chat', { messages }, 'm', [prepend]).body.messages).toEqual([{ role: 'system', content: 'HOUSE RULES' }, ...messages]);
    expect(shapeRequest('openai-chat', { messages }, 'm', [append]).body.messages).toEqual([messages[0], { role: 'system', content: 'HOUSE RULES' }, messages[1]]);
  });

  it('responses instructions and gemini systemInstruction', () => {
    expect(shapeRequest('openai-responses', { instructions: 'codex' }, 'm', [append]).body.instructions).toBe('codex\n\nHOUSE RULES');
    expect(shapeRequest('gemini', { systemInstruction: { parts: [{ text: 'cli' }] } }, 'm', [prepend]).body.systemInstruction).toEqual({
      parts: [{ text: 'HOUSE RULES' }, { text: 'cli' }],
    });
  });

  it('never mutates the client body', () => {
    const body = { system: 'x', messages: [{ role: 'user', content: 'hi' }] };
    const copy = structuredClone(body);
    shapeRequest('anthropic', body, 'm', [prepend]);
    expect(body).toEqual(copy);
  });
});

describe('thinking budget', () => {
  const fixed = rule({ thinking: { mode: 'fixed', budgetTokens: 4096 } });
  const effort = rule({ thinking: { mode: 'effort', effort: 'high', effortBudgets: { high: 16000 } } });

  it('fixed: anthropic budget, openai nearest level, gemini budget', () => {
    expect(shapeRequest('anthropic', { max_tokens: 32000, thinking: { type: 'enabled', budget_tokens: 1024 } }, 'm', [fixed]).body.thinking).toEqual({
      type: 'enabled',
      budget_tokens: 4096,
    });
    expect(shapeRequest('openai-chat', { reasoning_effort: 'high' }, 'm', [fixed]).body.reasoning_effort).toBe('low');
    expect(shapeRequest('gemini', { generationConfig: { thinkingConfig: { includeThoughts: true, thinkingLevel: 'HIGH' } } }, 'm', [fixed]).body.generationConfig).toEqual({
      thinkingConfig: { includeThoughts: true, thinkingBudget: 4096 },
    });
  });

  it('effort: openai level, anthropic budget from the table', () => {
    expect(shapeRequest('openai-responses', { reasoning: { effort: 'low', summary: 'auto' } }, 'm', [effort]).body.reasoning).toEqual({ effort: 'high', summary: 'auto' });
    expect((shapeRequest('anthropic', { max_tokens: 64000, thinking: { type: 'adaptive' } }, 'm', [effort]).body.thinking as { budget_tokens: number }).budget_tokens).toBe(16000);
  });

  it('requests that do not ask for thinking are left alone', () => {
    const result = shapeRequest('anthropic', { max_tokens: 100, messages: [] }, 'm', [fixed]);
    expect(result.changed).toBe(false);
  });

  it('anthropic budget stays below max_tokens', () => {
    const result = shapeRequest('anthropic', { max_tokens: 3000, thinking: { type: 'enabled', budget_tokens: 1024 } }, 'm', [fixed]);
    expect(result.body.thinking).toEqual({ type: 'enabled', budget_tokens: 2999 });
    expect(result.body.max_tokens).toBe(3000);
  });
});

describe('parameter clamps', () => {
  const clamps = rule({ clamps: [{ model: 'deepseek-*', maxOutputTokens: 8192, maxTemperature: 1.5 }, { model: '*', maxOutputTokens: 100000 }] });

  it('lowers values above the model limit, first matching clamp wins', () => {
    expect(shapeRequest('openai-chat', { max_tokens: 32000, temperature: 2 }, 'deepseek-chat', [clamps]).body).toEqual({ max_tokens: 8192, temperature: 1.5 });
    expect(shapeRequest('openai-chat', { max_completion_tokens: 32000 }, 'gpt-5', [clamps]).changed).toBe(false);
    expect(shapeRequest('gemini', { generationConfig: { maxOutputTokens: 65536 } }, 'deepseek-x', [clamps]).body.generationConfig).toEqual({ maxOutputTokens: 8192 });
  });

  it('leaves values within limits untouched (no change, no copy)', () => {
    const body = { max_tokens: 1000 };
    const result = shapeRequest('anthropic', body, 'deepseek-chat', [clamps]);
    expect(result.changed).toBe(false);
    expect(result.body).toBe(body);
  });

  it('a clamped anthropic max_tokens pulls the thinking budget under it', () => {
    const both = [rule({ clamps: [{ model: '*', maxOutputTokens: 8192 }] })];
    const result = shapeRequest('anthropic', { max_tokens: 32000, thinking: { type: 'enabled', budget_tokens: 16000 } }, 'glm-4.6', both);
    expect(result.body).toEqual({ max_tokens: 8192, thinking: { type: 'enabled', budget_tokens: 8191 } });
  });
});
