import { describe, expect, it } from 'vitest';
import type { SwitchyardConfigInput } from '../../../shared/config/config-schema.ts';
import { configSchema } from '../../../shared/config/config-schema.ts';
import { isProxyError } from '../errors/proxy-error.ts';
import { fixedTraits, requestTraits } from './request-traits.ts';
import type { RouteInput } from './resolve-targets.ts';
import { routeModel } from './resolve-targets.ts';
import { targetLabel } from './route-target.ts';
import { createRouterState } from './router-state.ts';

const key = (id: string) => ({ id, secret: 'inline-secret-value' });

const base: SwitchyardConfigInput = {
  providers: [
    { id: 'anthropic', type: 'anthropic', keys: [key('a1'), key('a2')], models: ['claude-sonnet-4-5', 'claude-haiku-4-5'] },
    { id: 'openai', type: 'openai', keys: [key('o1')], models: ['gpt-5'] },
    { id: 'gemini', type: 'gemini', keys: [key('g1')] },
    { id: 'router', type: 'openrouter', keys: [key('r1')], models: ['anthropic/claude-sonnet-4-5'] },
    { id: 'backup', type: 'anthropic-compatible', keys: [key('b1')], models: ['claude-sonnet-4-5'] },
    { id: 'off', type: 'openai', enabled: false, keys: [key('x1')], models: ['gpt-5'] },
  ],
  combos: [
    { name: 'main', targets: ['anthropic/claude-sonnet-4-5', 'router/anthropic/claude-sonnet-4-5', 'openai/gpt-5'] },
    { name: 'same-model', targets: ['anthropic', 'backup', 'off'] },
    { name: 'nested', targets: ['openai/gpt-5', 'main'] },
    { name: 'spread', strategy: 'round-robin', targets: ['anthropic/claude-sonnet-4-5', 'backup/claude-sonnet-4-5', 'openai/gpt-5'] },
    { name: 'weighted', strategy: 'weighted', targets: [{ target: 'anthropic/claude-sonnet-4-5', weight: 3 }, { target: 'openai/gpt-5', weight: 1 }] },
    { name: 'pinned', targets: [{ target: 'anthropic/claude-sonnet-4-5', keys: ['a2'] }, 'openai/gpt-5'] },
    { name: 'cheap', targets: ['gemini/gemini-2.5-flash'] },
    { name: 'claude-like', targets: ['*/claude-*'] },
  ],
  aliases: {
    sonnet: 'anthropic/claude-sonnet-4-5',
    best: 'main',
    fast: 'cheap',
    'gpt-*': 'openai/gpt-*',
    'or:*': 'router/*',
  },
};

const baseConfig = configSchema.parse(base);

function config(overrides: Partial<SwitchyardConfigInput> = {}) {
  return Object.keys(overrides).length === 0 ? baseConfig : configSchema.parse({ ...base, ...overrides });
}

function route(model: string, extra: Partial<RouteInput> = {}, overrides: Partial<SwitchyardConfigInput> = {}) {
  const plan = routeModel({ model, config: config(overrides), ...extra });
  return { labels: plan.targets.map(targetLabel), route: plan.route, targets: plan.targets };
}

describe('naming', () => {
  it.each([
    ['provider-id/model', 'anthropic/claude-sonnet-4-5', ['anthropic/claude-sonnet-4-5'], 'direct'],
    ['a model name holding a slash', 'router/anthropic/claude-sonnet-4-5', ['router/anthropic/claude-sonnet-4-5'], 'direct'],
    ['Gemini "models/" prefix', 'models/gemini/gemini-2.5-pro', ['gemini/gemini-2.5-pro'], 'direct'],
    ['exact alias', 'sonnet', ['anthropic/claude-sonnet-4-5'], 'alias:sonnet'],
    ['alias to a combo', 'best', ['anthropic/claude-sonnet-4-5', 'router/anthropic/claude-sonnet-4-5', 'openai/gpt-5'], 'alias:best'],
    ['alias pattern with capture', 'gpt-4.1-mini', ['openai/gpt-4.1-mini'], 'alias:gpt-*'],
    ['alias pattern keeping slashes', 'or:google/gemini-2.5-pro', ['router/google/gemini-2.5-pro'], 'alias:or:*'],
    ['combo name', 'main', ['anthropic/claude-sonnet-4-5', 'router/anthropic/claude-sonnet-4-5', 'openai/gpt-5'], 'combo:main'],
    ['nested combo, duplicates dropped', 'nested', ['openai/gpt-5', 'anthropic/claude-sonnet-4-5', 'router/anthropic/claude-sonnet-4-5'], 'combo:nested'],
    ['*/model: every provider listing it', '*/claude-sonnet-4-5', ['anthropic/claude-sonnet-4-5', 'backup/claude-sonnet-4-5'], 'direct'],
    ['bare name listed by providers', 'claude-haiku-4-5', ['anthropic/claude-haiku-4-5'], 'listing'],
    ['bare name by family', 'gemini-2.5-pro', ['gemini/gemini-2.5-pro'], 'family'],
  ])('%s: %s', (_case, model, expected, how) => {
    const result = route(model);
    expect(result.labels).toEqual(expected);
    expect(result.route).toBe(how);
  });

  it('a disabled provider named explicitly yields no target (503 later, not an unknown model)', () => {
    expect(route('off/gpt-5').labels).toEqual([]);
  });

  it('an unknown name is a 404 request error that lists what exists', () => {
    try {
      route('nothing-like-this');
      expect.unreachable();
    } catch (error) {
      expect(isProxyError(error) && error.status === 404 && error.scope === 'request').toBe(true);
      expect((error as Error).message).toMatch(/combo \(main, /);
      expect((error as Error).message).toMatch(/alias \(sonnet, best, fast\)/);
    }
  });
});

describe('the active combo', () => {
  it('serves bare names, and model-less entries keep the requested name (disabled providers skipped)', () => {
    const result = route('claude-opus-4-1', {}, { activeCombo: 'same-model' });
    expect(result.labels).toEqual(['anthropic/claude-opus-4-1', 'backup/claude-opus-4-1']);
    expect(result.route).toBe('active-combo:same-model');
  });

  it('does not capture explicit names, aliases or combos', () => {
    expect(route('openai/gpt-5', {}, { activeCombo: 'cheap' }).labels).toEqual(['openai/gpt-5']);
    expect(route('sonnet', {}, { activeCombo: 'cheap' }).labels).toEqual(['anthropic/claude-sonnet-4-5']);
  });

  it('a combo used by name gives model-less entries their first model', () => {
    expect(route('same-model').labels).toEqual(['anthropic/claude-sonnet-4-5', 'backup/claude-sonnet-4-5']);
  });

  it('provider-id/* means what provider-id alone means (docs/routing.md), by name and as the active combo', () => {
    const starred = { combos: [...base.combos!, { name: 'starred', targets: ['anthropic/*', 'backup/*'] }] };
    expect(route('starred', {}, starred).labels).toEqual(['anthropic/claude-sonnet-4-5', 'backup/claude-sonnet-4-5']);
    expect(route('claude-opus-4-1', {}, { ...starred, activeCombo: 'starred' }).labels).toEqual(['anthropic/claude-opus-4-1', 'backup/claude-opus-4-1']);
  });

  it('wildcard entries in a combo take the requested model only when it matches', () => {
    expect(route('claude-sonnet-4-5', {}, { activeCombo: 'claude-like' }).labels).toEqual(['anthropic/claude-sonnet-4-5', 'backup/claude-sonnet-4-5']);
    expect(route('gpt-5', {}, { activeCombo: 'claude-like', aliases: {} }).labels).toEqual([]);
  });
});

describe('combo strategies', () => {
  it('round-robin rotates the first target per request and keeps the rest as fallbacks', () => {
    const state = createRouterState();
    const firsts = Array.from({ length: 6 }, () => route('spread', { state }).labels);
    expect(firsts.map((labels) => labels[0])).toEqual([
      'anthropic/claude-sonnet-4-5',
      'backup/claude-sonnet-4-5',
      'openai/gpt-5',
      'anthropic/claude-sonnet-4-5',
      'backup/claude-sonnet-4-5',
      'openai/gpt-5',
    ]);
    expect(firsts[1]).toEqual(['backup/claude-sonnet-4-5', 'openai/gpt-5', 'anthropic/claude-sonnet-4-5']);
  });

  it('weighted draws the first target by weight', () => {
    const at = (value: number) => route('weighted', { state: createRouterState(() => value) }).labels;
    expect(at(0)).toEqual(['anthropic/claude-sonnet-4-5', 'openai/gpt-5']);
    expect(at(0.74)).toEqual(['anthropic/claude-sonnet-4-5', 'openai/gpt-5']);
    expect(at(0.76)).toEqual(['openai/gpt-5', 'anthropic/claude-sonnet-4-5']);
  });

  it('weighted spreads close to the weights over many draws', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const state = createRouterState(random);
    let anthropicFirst = 0;
    for (let index = 0; index < 4000; index += 1) if (route('weighted', { state }).labels[0]!.startsWith('anthropic')) anthropicFirst += 1;
    expect(anthropicFirst / 4000).toBeGreaterThan(0.7);
    expect(anthropicFirst / 4000).toBeLessThan(0.8);
  });

  it('key constraints travel with the target', () => {
    const { targets } = route('pinned');
    expect(targets[0]).toMatchObject({ providerId: 'anthropic', keyIds: ['a2'], combos: ['pinned'] });
    expect(targets[1]!.keyIds).toBeUndefined();
  });

  it('targets remember the combos they came through, outermost first', () => {
    expect(route('nested').targets[1]!.combos).toEqual(['nested', 'main']);
  });
});

describe('scenario rules', () => {
  const scenarios = {
    longContext: { target: 'gemini/gemini-2.5-pro', thresholdTokens: 1000 },
    webSearch: { target: 'openai/gpt-5' },
    background: { target: 'fast' },
    thinking: { target: 'anthropic/claude-opus-4-1' },
  };

  it.each([
    ['background model name', 'claude-haiku-4-5', {}, ['gemini/gemini-2.5-flash'], 'scenario:background'],
    ['thinking request', 'claude-sonnet-4-5', { thinking: true }, ['anthropic/claude-opus-4-1'], 'scenario:thinking'],
    ['web search wins over background', 'claude-haiku-4-5', { webSearch: true }, ['openai/gpt-5'], 'scenario:webSearch'],
    ['long context wins over all', 'claude-haiku-4-5', { webSearch: true, thinking: true, estimatedInputTokens: 5000 }, ['gemini/gemini-2.5-pro'], 'scenario:longContext'],
    ['no scenario applies', 'claude-sonnet-4-5', {}, ['anthropic/claude-sonnet-4-5', 'backup/claude-sonnet-4-5'], 'listing'],
  ])('%s', (_case, model, traits, expected, how) => {
    const result = route(model, { traits: fixedTraits(traits) }, { scenarios });
    expect(result.labels).toEqual(expected);
    expect(result.route).toBe(how);
  });

  it('an explicit provider-id/model is never rerouted', () => {
    expect(route('anthropic/claude-haiku-4-5', { traits: fixedTraits({ thinking: true }) }, { scenarios }).labels).toEqual(['anthropic/claude-haiku-4-5']);
  });

  it('reads traits from real request bodies of each format', () => {
    const anthropic = requestTraits('anthropic', { thinking: { type: 'enabled', budget_tokens: 2048 }, tools: [{ type: 'web_search_20250305', name: 'web_search' }] });
    expect([anthropic.thinking(), anthropic.webSearch()]).toEqual([true, true]);
    const chat = requestTraits('openai-chat', { reasoning_effort: 'high', web_search_options: {} });
    expect([chat.thinking(), chat.webSearch()]).toEqual([true, true]);
    const responses = requestTraits('openai-responses', { reasoning: { effort: 'minimal' }, tools: [{ type: 'function', name: 'f' }] });
    expect([responses.thinking(), responses.webSearch()]).toEqual([false, false]);
    const gemini = requestTraits('gemini', { generationConfig: { thinkingConfig: { thinkingBudget: 0 } }, tools: [{ googleSearch: {} }] });
    expect([gemini.thinking(), gemini.webSearch()]).toEqual([false, true]);
  });

  it('estimates tokens from text and counts an image once, not by its bytes', () => {
    const image = 'A'.repeat(400_000);
    const traits = requestTraits('anthropic', {
      messages: [{ role: 'user', content: [{ type: 'text', text: 'x'.repeat(4000) }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: image } }] }],
    });
    expect(traits.estimatedInputTokens()).toBeGreaterThanOrEqual(2000);
    expect(traits.estimatedInputTokens()).toBeLessThan(3000);
  });
});

describe('config load refuses what cannot route', () => {
  function problems(overrides: Partial<SwitchyardConfigInput>): string[] {
    const result = configSchema.safeParse({ ...base, ...overrides });
    return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  }

  it('nested combo loops', () => {
    const found = problems({ combos: [{ name: 'a', targets: ['b'] }, { name: 'b', targets: ['anthropic', 'a'] }] });
    expect(found.some((problem) => /combos loop: a -> b -> a/.test(problem))).toBe(true);
  });

  it('combo loops through an alias', () => {
    const found = problems({ combos: [{ name: 'a', targets: ['to-a'] }], aliases: { 'to-a': 'a' } });
    expect(found.some((problem) => /combos loop/.test(problem))).toBe(true);
  });

  it('alias loops and self-feeding patterns', () => {
    expect(problems({ aliases: { x: 'y', y: 'x' } }).some((problem) => /aliases loop/.test(problem))).toBe(true);
    expect(problems({ aliases: { 'm-*': 'm-*-fast' } }).some((problem) => /matches its own result/.test(problem))).toBe(true);
  });

  it('dangling references: aliases, scenario targets, key constraints', () => {
    const found = problems({
      aliases: { nope: 'missing/model-x' },
      scenarios: { thinking: { target: 'no-such-combo' } },
      combos: [{ name: 'k', targets: [{ target: 'anthropic/claude-x', keys: ['zz'] }] }],
    });
    expect(found.join('\n')).toMatch(/aliases.nope: "missing\/model-x" names no provider/);
    expect(found.join('\n')).toMatch(/scenarios.thinking.target/);
    expect(found.join('\n')).toMatch(/has no key "zz"/);
  });

  it('refuses a target the router could not follow, such as a bare pattern that is not an alias', () => {
    expect(problems({ combos: [{ name: 'x', targets: ['claude-*'] }] }).join('\n')).toMatch(/combos.0.targets.0: "claude-\*" names no provider/);
    expect(problems({ combos: [{ name: 'k', targets: [{ target: '*/claude-x', keys: ['a1'] }] }] }).join('\n')).toMatch(/key constraints need a target of one provider/);
  });

  it('refuses an alias chain longer than the one depth limit the router also stops at', () => {
    const aliases = Object.fromEntries(Array.from({ length: 18 }, (_unused, index) => [`a${index}`, index === 17 ? 'anthropic/claude-sonnet-4-5' : `a${index + 1}`]));
    expect(problems({ aliases }).some((problem) => /alias chain longer than 16/.test(problem))).toBe(true);
  });

  it('accepts the example configuration', () => {
    expect(problems({})).toEqual([]);
  });
});
