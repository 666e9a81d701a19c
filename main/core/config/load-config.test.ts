import { describe, expect, it } from 'vitest';
import { ConfigError, formatPath, parseConfigText, validateConfig } from './load-config.ts';
import { numberedVariables, providersFromEnvironment } from './environment-providers.ts';
import { defaultDataDir } from './data-dir.ts';

function problemsOf(input: unknown): string[] {
  try {
    validateConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('validateConfig', () => {
  it('fills defaults for an empty config', () => {
    const { config, warnings } = validateConfig({});
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 8787, clientKeys: [] });
    expect(config.providers).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('accepts the documented minimum shape', () => {
    const { config } = validateConfig({
      server: { host: '127.0.0.1', port: 8787, clientKeys: [{ env: 'SWITCHYARD_CLIENT_KEY' }] },
      providers: [{ id: 'work-openai', type: 'openai', baseUrl: 'https://api.openai.com/v1', keys: [{ id: 'k1', secret: { env: 'OPENAI_KEY_1' } }], models: ['gpt-5.5'] }],
      combos: [{ name: 'main', targets: ['work-openai/gpt-5.5'] }],
      activeCombo: 'main',
    });
    expect(config.providers[0]!.keys[0]!.enabled).toBe(true);
    expect(config.activeCombo).toBe('main');
  });

  it('reports every problem with its path, not just the first', () => {
    let error: ConfigError | undefined;
    try {
      validateConfig({ server: { port: 70000 }, providers: [{ id: 'a/b', type: 'openai' }, { id: 'x', type: 'openai', keys: [{ id: 'k', secret: { file: '/etc' } }] }] });
    } catch (caught) {
      error = caught as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.map((problem) => problem.split(':')[0])).toEqual(['server.port', 'providers[0].id', 'providers[1].keys[0].secret']);
  });

  it('turns unknown fields into warnings and still loads', () => {
    const { config, warnings } = validateConfig({ extra: 1, providers: [{ id: 'p', type: 'gemini', shiny: true, keys: [{ id: 'k', secret: 'AIza-inline', note: 'x' }] }] });
    expect(config.providers[0]!.id).toBe('p');
    expect(warnings).toEqual([
      'extra: unknown field, ignored',
      'providers[0].keys[0].note: unknown field, ignored',
      'providers[0].shiny: unknown field, ignored',
      'providers[0].keys[0].secret: inline secret in the config file; prefer {"env": "NAME"}',
    ]);
  });

  it('refuses duplicate ids, dangling references and combo loops', () => {
    const problems = problemsOf({
      providers: [{ id: 'p', type: 'openai' }, { id: 'p', type: 'openai' }],
      combos: [{ name: 'a', targets: ['b'] }, { name: 'b', targets: ['a'] }, { name: 'c', targets: ['nowhere/x'] }],
      activeCombo: 'zzz',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^providers\[1\]\.id: duplicate provider id "p"/),
        expect.stringMatching(/combos loop: a -> b -> a/),
        expect.stringMatching(/^combos\[2\]\.targets\[0\]: "nowhere\/x" names no provider/),
        'activeCombo: no combo named "zzz"',
      ]),
    );
  });

  it('lists shape problems and reference problems together, in one go', () => {
    const problems = problemsOf({ server: { port: 'x' }, providers: [{ id: 'q', type: 'nonsense' }], combos: [{ name: 'main', targets: ['gone/model', 'q/m'] }], activeCombo: 'other' });
    expect(problems).toEqual([
      expect.stringMatching(/^server\.port: /),
      expect.stringMatching(/^providers\[0\]\.type: /),
      expect.stringMatching(/^combos\[0\]\.targets\[0\]: "gone\/model" names no provider/),
      'activeCombo: no combo named "other"',
    ]);
  });

  it('says where JSON is broken', () => {
    expect(() => parseConfigText('{"a": }', 'my.json')).toThrow(/my\.json is not a valid Switchyard config:\n {2}\(file\): not valid JSON/);
  });

  it('formats paths the way users read them', () => {
    expect(formatPath(['providers', 0, 'keys', 2, 'secret'])).toBe('providers[0].keys[2].secret');
    expect(formatPath([])).toBe('(top level)');
  });
});

describe('providers from the environment', () => {
  it('collects base and numbered variables in numeric order', () => {
    expect(numberedVariables({ GEMINI_API_KEY_10: 'c', GEMINI_API_KEY_2: 'b', GEMINI_API_KEY: 'a', GEMINI_API_KEY_X: 'no', GEMINI_API_KEY_3: '' }, 'GEMINI_API_KEY')).toEqual([
      'GEMINI_API_KEY',
      'GEMINI_API_KEY_2',
      'GEMINI_API_KEY_10',
    ]);
  });

  it('builds one provider per vendor with env references, never the values', () => {
    const providers = providersFromEnvironment({ ANTHROPIC_API_KEY: 'sk-ant-1', GEMINI_API_KEY_1: 'g1', GEMINI_API_KEY_2: 'g2', GOOGLE_API_KEY: 'g1', SWITCHYARD_GEMINI_BASE_URL: 'http://127.0.0.1:9' });
    expect(providers.map((provider) => [provider.id, provider.type, provider.keys.map((key) => key.secret), provider.baseUrl])).toEqual([
      ['anthropic', 'anthropic', [{ env: 'ANTHROPIC_API_KEY' }], undefined],
      ['gemini', 'gemini', [{ env: 'GEMINI_API_KEY_1' }, { env: 'GEMINI_API_KEY_2' }], 'http://127.0.0.1:9'],
    ]);
  });

  it('picks up OpenRouter and the compatible vendors under their own variable names, with their presets', () => {
    const providers = providersFromEnvironment({
      OPENROUTER_API_KEY: 'or',
      DEEPSEEK_API_KEY: 'ds',
      MOONSHOT_API_KEY: 'ms',
      ZHIPUAI_API_KEY: 'zp',
      ZAI_API_KEY_1: 'z1',
      ZAI_API_KEY_2: 'z2',
      MINIMAX_API_KEY: 'mm',
      SWITCHYARD_GLM_INTL_BASE_URL: 'http://127.0.0.1:9/v4',
    });
    expect(providers.map((provider) => [provider.id, provider.type, provider.preset, provider.keys.map((key) => key.secret), provider.baseUrl])).toEqual([
      ['openrouter', 'openrouter', undefined, [{ env: 'OPENROUTER_API_KEY' }], undefined],
      ['deepseek', 'openai-compatible', 'deepseek', [{ env: 'DEEPSEEK_API_KEY' }], undefined],
      ['kimi', 'openai-compatible', 'kimi', [{ env: 'MOONSHOT_API_KEY' }], undefined],
      ['glm', 'openai-compatible', 'glm', [{ env: 'ZHIPUAI_API_KEY' }], undefined],
      ['glm-intl', 'openai-compatible', 'glm-intl', [{ env: 'ZAI_API_KEY_1' }, { env: 'ZAI_API_KEY_2' }], 'http://127.0.0.1:9/v4'],
      ['minimax', 'openai-compatible', 'minimax', [{ env: 'MINIMAX_API_KEY' }], undefined],
    ]);
  });

  it('ignores ANTHROPIC_BASE_URL, which usually points at Switchyard itself', () => {
    const [provider] = providersFromEnvironment({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'http://127.0.0.1:8787' });
    expect(provider!.baseUrl).toBeUndefined();
  });
});

describe('defaultDataDir', () => {
  it('follows each platform\'s convention and honours SWITCHYARD_DATA_DIR', () => {
    expect(defaultDataDir({}, 'linux', '/home/u')).toBe('/home/u/.config/Switchyard');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/u')).toBe('/x/Switchyard');
    expect(defaultDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/Switchyard');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toMatch(/Roaming.Switchyard$/);
    expect(defaultDataDir({ SWITCHYARD_DATA_DIR: '/data' }, 'linux', '/home/u')).toBe('/data');
  });
});
