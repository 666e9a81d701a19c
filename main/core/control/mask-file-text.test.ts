import { describe, expect, it } from 'vitest';
import { maskFileText } from './mask-file-text.ts';

describe('maskFileText', () => {
  it('masks keys by their shape and by the name they are assigned to, in JSON, TOML and .env text', () => {
    const text = [
      '{ "env": { "ANTHROPIC_AUTH_TOKEN": "opaque-fake-token-value-1234", "ANTHROPIC_BASE_URL": "http://127.0.0.1:8787" } }',
      'experimental_bearer_token = "sy-fakeclientkeyfortests0000abcd"',
      'GEMINI_API_KEY=AIza.fake.key.for.tests.only.wxyz',
      'theme = "dark"',
    ].join('\n');
    const masked = maskFileText(text);
    expect(masked).not.toContain('opaque-fake-token-value');
    expect(masked).not.toContain('fakeclientkeyfortests');
    expect(masked).not.toContain('AIzaFakeKeyForTestsOnly');
    expect(masked).toContain('"ANTHROPIC_AUTH_TOKEN": "****1234"');
    expect(masked).toContain('****abcd');
    expect(masked).toContain('GEMINI_API_KEY=****wxyz');
    expect(masked).toContain('"ANTHROPIC_BASE_URL": "http://127.0.0.1:8787"');
    expect(masked).toContain('theme = "dark"');
  });

  it('leaves placeholders and short values alone', () => {
    expect(maskFileText('"ANTHROPIC_AUTH_TOKEN": "<new Switchyard key>"')).toBe('"ANTHROPIC_AUTH_TOKEN": "<new Switchyard key>"');
    expect(maskFileText('api_key = "none"')).toBe('api_key = "none"');
  });
});
