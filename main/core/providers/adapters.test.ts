import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { isAccountProviderType, providerSchema, providerTypes } from '../../../shared/config/provider-schema.ts';
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

/** Where each kind sends its credential (undefined: keyless). */
const authHeaderOf: Record<(typeof providerTypes)[number], string | undefined> = {
  anthropic: 'x-api-key',
  'anthropic-compatible': 'x-api-key',
  openai: 'authorization',
  'openai-compatible': 'authorization',
  openrouter: 'authorization',
  gemini: 'x-goog-api-key',
  ollama: 'authorization',
  copilot: 'authorization',
  codex: 'authorization',
  kiro: 'authorization',
  'gemini-cli': 'authorization',
};

describe('every provider kind', () => {
  it.each(providerTypes)('%s prepares a JSON request under its endpoint with the key in its auth header only', (type) => {
    const adapter = adapterFor({ type });
    const endpoint = adapter.endpoint(adapter.defaultBaseUrl);
    expect(adapter.nativeFormats.length).toBeGreaterThan(0);
    const prepared = adapter.prepare(call(adapter, { credential: 'fake-key-for-tests' }));
    expect(prepared.path.startsWith(`${endpoint.basePath}/`)).toBe(true);
    expect(prepared.headers['content-type']).toBe('application/json');
    // Account kinds speak as the vendor's own client (their backends expect it); API kinds name Switchyard.
    expect(prepared.headers['user-agent']).toMatch(isAccountProviderType(type) ? /^(?:GitHubCopilotChat|codex_cli_rs|aws-sdk-js|GeminiCLI)\//u : /^switchyard\//iu);
    const carrying = Object.entries(prepared.headers).filter(([, value]) => value.includes('fake-key-for-tests'));
    expect(carrying.map(([name]) => name)).toEqual([authHeaderOf[type]]);
    // Code Assist lists no models: gemini-cli serves its configured or default models.
    if (type === 'gemini-cli') return expect(adapter.listModels).toBeUndefined();
    const list = adapter.listModels!({ endpoint, credential: 'fake-key-for-tests' });
    expect(list.path.startsWith(`${endpoint.basePath}/`)).toBe(true);
    // Ollama lists its local models without a key (GET /api/tags takes none).
    if (type === 'ollama') expect(Object.values(list.headers).join(' ')).not.toContain('fake-key-for-tests');
    else expect(list.headers[authHeaderOf[type]!]).toContain('fake-key-for-tests');
  });
});

describe('header precedence (one rule for every adapter)', () => {
  const kinds: Array<[string, ProviderConfigInput, string]> = [
    ['anthropic', { type: 'anthropic' }, 'x-api-key'],
    ['anthropic-compatible (bearer)', { type: 'anthropic-compatible', preset: 'glm' }, 'authorization'],
    ['openai', { type: 'openai' }, 'authorization'],
    ['openai-compatible', { type: 'openai-compatible', preset: 'deepseek' }, 'authorization'],
    ['openrouter', { type: 'openrouter', attribution: { title: 'From the preset' } }, 'authorization'],
    ['gemini', { type: 'gemini' }, 'x-goog-api-key'],
    ['ollama (openai api)', { type: 'ollama' }, 'authorization'],
    ['ollama (native api)', { type: 'ollama', ollama: { api: 'native' } }, 'authorization'],
    ['copilot', { type: 'copilot' }, 'authorization'],
    ['codex', { type: 'codex' }, 'authorization'],
    ['gemini-cli', { type: 'gemini-cli' }, 'authorization'],
  ];

  it.each(kinds)('%s: configured headers beat defaults, the auth header beats configured headers', (_case, input, authHeader) => {
    const adapter = adapterFor(input);
    const configHeaders = { 'User-Agent': 'configured-agent', 'X-Title': 'configured title', [authHeader.toUpperCase()]: 'configured-credential', 'x-extra': 'yes' };
    const prepared = adapter.prepare(call(adapter, { credential: 'fake-key-for-tests', configHeaders }));
    expect(prepared.headers['user-agent']).toBe('configured-agent');
    expect(prepared.headers['x-extra']).toBe('yes');
    if (input.type === 'openrouter') expect(prepared.headers['x-title']).toBe('configured title');
    const keyless = input.type === 'ollama' && input.ollama?.api === 'native';
    // Keyless kinds send no credential of their own, so a configured auth header (a reverse proxy's) goes through.
    expect(prepared.headers[authHeader]).toBe(keyless ? 'configured-credential' : authHeader === 'authorization' ? 'Bearer fake-key-for-tests' : 'fake-key-for-tests');
    // Sent in lower case only: no second spelling of the same header travels along.
    expect(Object.keys(prepared.headers).every((name) => name === name.toLowerCase())).toBe(true);
  });

  it('anthropic: forwarded client headers beat defaults, configured headers beat forwarded ones', () => {
    const adapter = adapterFor({ type: 'anthropic' });
    const forwarded = adapter.prepare(call(adapter, { clientHeaders: { 'anthropic-version': '2099-01-01', 'anthropic-beta': 'beta-from-client' } }));
    expect(forwarded.headers).toMatchObject({ 'anthropic-version': '2099-01-01', 'anthropic-beta': 'beta-from-client' });
    const configured = adapter.prepare(call(adapter, { clientHeaders: { 'anthropic-beta': 'beta-from-client' }, configHeaders: { 'anthropic-beta': 'beta-from-config' } }));
    expect(configured.headers['anthropic-beta']).toBe('beta-from-config');
    const defaults = adapter.prepare(call(adapter));
    expect(defaults.headers['anthropic-version']).toBe('2023-06-01');
    expect(defaults.headers).not.toHaveProperty('anthropic-beta');
    expect(adapter.forwardedClientHeaders).toEqual(['anthropic-version', 'anthropic-beta']);
  });

  it('no other adapter forwards client headers', () => {
    for (const type of providerTypes.filter((kind) => kind !== 'anthropic' && kind !== 'anthropic-compatible')) {
      const adapter = adapterFor({ type });
      expect(adapter.forwardedClientHeaders ?? []).toEqual([]);
      const prepared = adapter.prepare(call(adapter, { clientHeaders: { 'anthropic-beta': 'b', 'x-client-header': 'c' } }));
      expect(prepared.headers).not.toHaveProperty('anthropic-beta');
      expect(prepared.headers).not.toHaveProperty('x-client-header');
    }
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
    ['z.ai openai', { type: 'openai-compatible', preset: 'glm-intl' }, 'https://api.z.ai', '/api/paas/v4/chat/completions', { authorization: 'Bearer secret-key', 'x-api-key': undefined }],
    ['kimi openai', { type: 'openai-compatible', preset: 'kimi' }, 'https://api.moonshot.ai', '/v1/chat/completions', { authorization: 'Bearer secret-key', 'x-api-key': undefined }],
    ['kimi-cn anthropic', { type: 'anthropic-compatible', preset: 'kimi-cn' }, 'https://api.moonshot.cn', '/anthropic/v1/messages', { authorization: 'Bearer secret-key' }],
    ['minimax openai', { type: 'openai-compatible', preset: 'minimax' }, 'https://api.minimax.io', '/v1/chat/completions', { authorization: 'Bearer secret-key', 'x-api-key': undefined }],
    ['minimax-cn anthropic', { type: 'anthropic-compatible', preset: 'minimax-cn' }, 'https://api.minimaxi.com', '/anthropic/v1/messages', { authorization: 'Bearer secret-key', 'x-api-key': undefined }],
    ['anthropic-compatible with bearer override', { type: 'anthropic-compatible', preset: 'deepseek', auth: 'bearer' }, 'https://api.deepseek.com', '/anthropic/v1/messages', { authorization: 'Bearer secret-key', 'x-api-key': undefined }],
  ])('%s', (_case, input, origin, path, headers) => {
    expect(Object.keys(headers).length).toBeGreaterThan(0);
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
      'gemini (generateContent and embedContent models, now that embeddings are served)',
      { type: 'gemini' },
      '/v1beta/models?pageSize=1000',
      '{"models":[{"name":"models/gemini-2.5-pro","supportedGenerationMethods":["generateContent"]},{"name":"models/text-embedding-004","supportedGenerationMethods":["embedContent"]},{"name":"models/aqa","supportedGenerationMethods":["generateAnswer"]}]}',
      ['gemini-2.5-pro', 'text-embedding-004'],
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
