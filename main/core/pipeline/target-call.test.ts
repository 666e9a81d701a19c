import { describe, expect, it } from 'vitest';
import { headerSafe } from './target-call.ts';

describe('headerSafe', () => {
  it('keeps printable ASCII names exactly', () => {
    for (const name of ['oai/gpt-4.1', 'combo:fast', 'gem/models/gemini-2.5-pro', 'a b']) expect(headerSafe(name)).toBe(name);
  });

  it('percent-encodes what Node refuses in a header, and % itself once encoding happens', () => {
    expect(headerSafe('oai/gpt€')).toBe('oai/gpt%E2%82%AC');
    expect(headerSafe('gem/模型')).toBe('gem/%E6%A8%A1%E5%9E%8B');
    expect(headerSafe('a\r\nx-evil: 1')).toBe('a%0D%0Ax-evil: 1');
    expect(headerSafe('nul\u0000')).toBe('nul%00');
    expect(headerSafe('50%\n')).toBe('50%25%0A');
    expect(headerSafe('\ud800')).toBe('%EF%BF%BD');
  });

  it('gives values Node accepts in a header', async () => {
    const { validateHeaderValue } = await import('node:http');
    for (const name of ['€', '模型', '\n', '\u0000', '\ud800x', 'tab\there', '\u007f']) expect(() => validateHeaderValue('x-switchyard-target', headerSafe(name))).not.toThrow();
  });
});
