import { describe, expect, it } from 'vitest';
import { chooseModel, parseTargetExpression, targetNamesOf } from './target-expression.ts';

const names = targetNamesOf({
  providers: [{ id: 'anthropic' }, { id: 'router' }],
  combos: [{ name: 'main' }],
  aliases: { sonnet: 'anthropic/claude-sonnet-4-5', 'or:*': 'router/*' },
});

describe('target expressions', () => {
  it.each([
    ['sonnet', { kind: 'alias', name: 'sonnet', target: 'anthropic/claude-sonnet-4-5' }],
    ['main', { kind: 'combo', name: 'main' }],
    ['anthropic/claude-sonnet-4-5', { kind: 'provider', providerId: 'anthropic', model: { kind: 'fixed', model: 'claude-sonnet-4-5' }, bare: false }],
    ['router/google/gemini-2.5-pro', { kind: 'provider', providerId: 'router', model: { kind: 'fixed', model: 'google/gemini-2.5-pro' }, bare: false }],
    ['anthropic', { kind: 'provider', providerId: 'anthropic', model: { kind: 'requested' }, bare: true }],
    ['anthropic/*', { kind: 'provider', providerId: 'anthropic', model: { kind: 'requested' }, bare: false }],
    ['anthropic/claude-*', { kind: 'provider', providerId: 'anthropic', model: { kind: 'matching', pattern: 'claude-*' }, bare: false }],
    ['*/claude-x', { kind: 'providers', pattern: '*', model: { kind: 'fixed', model: 'claude-x' } }],
    ['or:google/gemini-2.5-pro', { kind: 'alias-pattern', pattern: 'or:*', target: 'router/google/gemini-2.5-pro' }],
    ['ghost/model', { kind: 'unknown', name: 'ghost/model' }],
    ['claude-*', { kind: 'unknown', name: 'claude-*' }],
  ])('%s', (text, expected) => {
    expect(parseTargetExpression(text, names)).toEqual(expected);
  });

  it('a bare provider id is not a target when a client sends it as the model', () => {
    expect(parseTargetExpression('anthropic', names, { bareProviders: false })).toEqual({ kind: 'unknown', name: 'anthropic' });
  });

  it('picks the model: fixed, the requested one, or the requested one only when it matches', () => {
    expect(chooseModel({ kind: 'fixed', model: 'm' }, 'x')).toBe('m');
    expect(chooseModel({ kind: 'requested' }, 'x')).toBe('x');
    expect(chooseModel({ kind: 'matching', pattern: 'claude-*' }, 'claude-opus')).toBe('claude-opus');
    expect(chooseModel({ kind: 'matching', pattern: 'claude-*' }, 'gpt-5')).toBeUndefined();
  });
});
