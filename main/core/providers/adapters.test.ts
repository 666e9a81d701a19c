import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { providerSchema, providerTypes } from '../../../shared/config/provider-schema.ts';
import { providerAdapter } from './index.ts';
import type { UpstreamCall } from './provider-adapter.ts';
import { configuredAdapter } from './provider-adapter.ts';

/** A provider config as written, without an id. */
type ProviderConfigInput = Omit<z.input<typeof providerSchema>, 'id'>;

function adapterFor(input: ProviderConfigInput) {
  return configuredAdapter(providerAdapter(input.type)!, providerSchema.parse({ id: 'p', ...input }));
}

function call(adapter: ReturnType<typeof adapterFor>, overrides: Partial<UpstreamCall> = {}): UpstreamCall {
  return {
    endpoint: adapter.endpoint(adapter.defaultBaseUrl),
    format: adapter.nativeFormats[0]!,
    operation: 'generate',
    model: 'm',
    stream: false,
    credential: 'secret-key',
    clientHeaders: {},
    ...overrides,
  };
}

describe('every provider kind', () => {
  it.each(providerTypes)('%s has an adapter with a default base URL, formats, rate-limit headers and a model list request', (type) => {
    const adapter = adapterFor({ type });
    expect(() => new URL(adapter.defaultBaseUrl)).not.toThrow();
    expect(adapter.nativeFormats.length).toBeGreaterThan(0);
    expect(Array.isArray(adapter.rateLimitHeaders)).toBe(true);
    expect(adapter.listModels).toBeTypeOf('function');
    expect(adapter.parseModelList).toBeTypeOf('function');
  });
});

describe('defaults, paths and auth', () => {
  it.each<[string, ProviderConfigInput, string, string, Record<string, string | undefined>]>([
    ['anthropic', { type: 'anthropic' }, 'https://api.anthropic.com', '/v1/messages', { 'x-api-key': 'secret-key', authorization: undefined }],
    ['openai', { type: 'openai' }, 'https://api.openai.com', '/v1/chat/completions', { authorization: 'Bearer secret-key' }],
    ['gemini', { type: 'gemini' }, 'https://generativelanguage.googleapis.com', '/v1beta/models/m:generateContent', { 'x-goog-api-key': 'secret-key' }],
    ['openrouter', { type: 'openrouter' }, 'https://openrouter.ai', '/api/v1/chat/completions', { authorization: 'Bearer secret-key' }],
    ['ollama (openai api)', { type: 'ollama' }, 'http://localhost:11434', '/v1/chat/completions', { authorization: 'Bearer secret-key' }],
    ['ollama (native api)', { type: 'ollama', ollama: { api: 'native' } }, 'http://localhost:11434', '/api/chat', { authorization: undefined }],
    ['deepseek openai', { type: 'openai-compatible', preset: 'deepseek' }, 'https://api.deepseek.com', '/chat/completions', { authorization: 'Bearer secret-key' }],
    ['deepseek anthropic', { type: 'anthropic-compatible', preset: 'deepseek' }, 'https://api.deepseek.com', '/anthropic/v1/messages', { 'x-api-key': 'secret-key' }],
    ['glm openai', { type: 'openai-compatible', preset: 'glm' }, 'https://open.bigmodel.cn', '/api/paas/v4/chat/completions', { authorization: 'Bearer secret-key' }],
    ['glm anthropic', { type: 'anthropic-compatible', preset: 'glm' }, 'https://open.bigmodel.cn', '/api/anthropic/v1/messages', { authorization: 'Bearer secret-key', 'x-api-key': undefined }],
    ['z.ai openai', { type: 'openai-compatible', preset: 'glm-intl' }, 'https://api.z.ai', '/api/paas/v4/chat/completions', {}],
    ['kimi openai', { type: 'openai-compatible', preset: 'kimi' }, 'https://api.moonshot.ai', '/v1/chat/completions', {}],
    ['kimi-cn anthropic', { type: 'anthropic-compatible', preset: 'kimi-cn' }, 'https://api.moonshot.cn', '/anthropic/v1/messages', { authorization: 'Bearer secret-key' }],
    ['minimax openai', { type: 'openai-compatible', preset: 'minimax' }, 'https://api.minimax.io', '/v1/chat/completions', {}],
    ['minimax-cn anthropic', { type: 'anthropic-compatible', preset: 'minimax-cn' }, 'https://api.minimaxi.com', '/anthropic/v1/messages', {}],
    ['anthropic-compatible with bearer override', { type: 'anthropic-compatible', preset: 'deepseek', auth: 'bearer' }, 'https://api.deepseek.com', '/anthropic/v1/messages', { authorization: 'Bearer secret-key', 'x-api-key': undefined }],
  ])('%s', (_case, input, origin, path, headers) => {
    const adapter = adapterFor(input);
    const endpoint = adapter.endpoint(adapter.defaultBaseUrl);
    expect(endpoint.origin).toBe(origin);
    const prepared = adapter.prepare(call(adapter, { credential: input.type === 'ollama' && input.ollama ? '' : 'secret-key' }));
    expect(prepared.path).toBe(path);
    for (const [name, value] of Object.entries(headers)) expect(prepared.headers[name]).toBe(value);
  });

  it('presets bring default models; a configured list wins', () => {
    expect(adapterFor({ type: 'openai-compatible', preset: 'kimi' }).defaultModels).toContain('kimi-k2.6');
    expect(adapterFor({ type: 'openai-compatible' }).defaultModels).toBeUndefined();
  });

  it('ollama takes no key and accepts base URLs with /v1 or /api', () => {
    const adapter = adapterFor({ type: 'ollama' });
    expect(adapter.requiresKey).toBe(false);
    expect(adapter.prepare(call(adapter, { credential: '' })).headers.authorization).toBeUndefined();
    expect(adapter.endpoint('http://gpu-box:11434/v1').basePath).toBe('');
    expect(adapter.endpoint('http://gpu-box:11434/api').basePath).toBe('');
  });

  it('openrouter attribution headers come from the config', () => {
    const plain = adapterFor({ type: 'openrouter' });
    expect(plain.prepare(call(plain)).headers).not.toHaveProperty('http-referer');
    const attributed = adapterFor({ type: 'openrouter', attribution: { url: 'https://app.example', title: 'App' } });
    expect(attributed.prepare(call(attributed)).headers).toMatchObject({ 'http-referer': 'https://app.example', 'x-openrouter-title': 'App', 'x-title': 'App' });
  });
});

describe('model lists', () => {
  it.each<[string, ProviderConfigInput, string, string, string[]]>([
    ['anthropic', { type: 'anthropic' }, '/v1/models?limit=1000', '{"data":[{"type":"model","id":"claude-sonnet-4-5"}],"has_more":false}', ['claude-sonnet-4-5']],
    ['openai', { type: 'openai' }, '/v1/models', '{"object":"list","data":[{"id":"gpt-5"},{"id":"o3"}]}', ['gpt-5', 'o3']],
    ['openrouter', { type: 'openrouter' }, '/api/v1/models', '{"data":[{"id":"anthropic/claude-sonnet-4.5"}]}', ['anthropic/claude-sonnet-4.5']],
    [
      'gemini (generateContent models only)',
      { type: 'gemini' },
      '/v1beta/models?pageSize=1000',
      '{"models":[{"name":"models/gemini-2.5-pro","supportedGenerationMethods":["generateContent"]},{"name":"models/text-embedding-004","supportedGenerationMethods":["embedContent"]}]}',
      ['gemini-2.5-pro'],
    ],
    ['ollama', { type: 'ollama' }, '/api/tags', '{"models":[{"name":"qwen3:8b"}]}', ['qwen3:8b']],
    ['deepseek', { type: 'openai-compatible', preset: 'deepseek' }, '/models', '{"data":[{"id":"deepseek-v4-pro"}]}', ['deepseek-v4-pro']],
  ])('%s', (_case, input, path, answer, models) => {
    const adapter = adapterFor(input);
    expect(adapter.listModels!({ endpoint: adapter.endpoint(adapter.defaultBaseUrl), credential: 'k' }).path).toBe(path);
    expect(adapter.parseModelList!(answer)).toEqual(models);
    expect(adapter.parseModelList!('not json')).toEqual([]);
  });
});
