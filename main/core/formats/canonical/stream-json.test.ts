import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StreamJsonReader } from './stream-json.ts';

/** What JSON.parse says about `text`: its value, or undefined when it throws. */
function reference(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const chatChunk = (content: string) =>
  JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 7, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] });
const anthropicDelta = (text: string) => JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('StreamJsonReader', () => {
  it('returns what JSON.parse returns for every payload of a stream', () => {
    const reader = new StreamJsonReader();
    const payloads = [
      JSON.stringify({ id: 'chatcmpl-1', choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] }),
      ...['Hello', ' there', ',\n', ' "quoted"', ' back\\slash', ' ☃', ' tab\t', ' 😀', ' end'].map(chatChunk),
      chatChunk('x').replace('"m"', '"other-model"'),
      chatChunk('after a change'),
      '[DONE]',
      'not json',
    ];
    for (const text of payloads) expect(reader.parse(text)).toEqual(reference(text));
  });

  it('stops parsing once a stream repeats its shape (the shortcut is taken)', () => {
    const reader = new StreamJsonReader();
    const parse = vi.spyOn(JSON, 'parse');
    const texts = Array.from({ length: 20 }, (_, index) => anthropicDelta(`word${index} `));
    const results = texts.map((text) => structuredClone(reader.parse(text)));
    expect(results).toEqual(texts.map((text) => JSON.parse(text)));
    // The first payload, the second (which teaches the hole) and its probe are parsed; the other 18 are not.
    expect(parse.mock.calls.length - texts.length).toBe(3);
  });

  it('decodes escapes in the changing string without parsing the whole payload', () => {
    const reader = new StreamJsonReader();
    reader.parse(anthropicDelta('one'));
    reader.parse(anthropicDelta('two'));
    const text = anthropicDelta('line\nbreak \u0001 "q" \\ é');
    expect(reader.parse(text)).toEqual(JSON.parse(text));
  });

  it('parses in full a payload whose changing part is not one string body', () => {
    const reader = new StreamJsonReader();
    reader.parse(anthropicDelta('one'));
    reader.parse(anthropicDelta('two'));
    const prefix = anthropicDelta('@').split('@')[0]!;
    const suffix = anthropicDelta('@').split('@')[1]!;
    for (const body of ['a","index":5,"x":"b', 'a"', 'a\\', 'raw\ncontrol', '\\u12', 'a\\"']) {
      const text = `${prefix}${body}${suffix}`;
      expect(reader.parse(text)).toEqual(reference(text));
    }
  });

  it('learns two changing strings: OpenAI chunks carry a random obfuscation string beside the content', () => {
    const reader = new StreamJsonReader();
    const parse = vi.spyOn(JSON, 'parse');
    const chunk = (content: string, obfuscation: string) =>
      JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 7, model: 'gpt', choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }], obfuscation });
    const texts = Array.from({ length: 12 }, (_, index) => chunk(`t${index}${index % 3 === 0 ? '\n' : ''}`, `o${'Z'.repeat(index)}`));
    for (const text of texts) expect(reader.parse(text)).toEqual(JSON.parse(text));
    expect(parse.mock.calls.length - texts.length).toBeLessThan(8);
    // A payload with a third string changed is parsed in full, and comes out right.
    const odd = chunk('a', 'b').replace('"gpt"', '"other"');
    expect(reader.parse(odd)).toEqual(JSON.parse(odd));
  });

  it('keeps two holes apart where object keys do not come in text order', () => {
    const reader = new StreamJsonReader();
    const texts = ['{"b":"q","1":"q"}', '{"b":"r","1":"s"}', '{"b":"t","1":"u"}', '{"b":"v","1":"v"}'];
    for (const text of texts) expect(reader.parse(text)).toEqual(JSON.parse(text));
  });

  it('learns nothing from numbers that change, from repeated payloads or from three changed strings', () => {
    const reader = new StreamJsonReader();
    const texts = [
      ...Array.from({ length: 4 }, (_, index) => JSON.stringify({ a: 'x', n: index })),
      ...Array.from({ length: 3 }, () => JSON.stringify({ a: 'same' })),
      ...Array.from({ length: 3 }, (_, index) => JSON.stringify({ a: `a${index}`, b: `b${index}`, c: `c${index}` })),
    ];
    const expected = texts.map((text) => JSON.parse(text));
    const parse = vi.spyOn(JSON, 'parse');
    texts.forEach((text, index) => expect(reader.parse(text)).toEqual(expected[index]));
    // Every payload was parsed: none of these has one or two strings that change and nothing else.
    expect(parse.mock.calls.filter(([text]) => texts.includes(text as string))).toHaveLength(texts.length);
  });

  it('never treats a "__proto__" key as the changing string', () => {
    const reader = new StreamJsonReader();
    const texts = ['{"__proto__":"a","k":1}', '{"__proto__":"b","k":1}', '{"__proto__":"c","k":1}'];
    for (const text of texts) {
      const value = reader.parse(text) as Record<string, unknown>;
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(value).toEqual(JSON.parse(text));
    }
  });

  it('matches JSON.parse over arbitrary streams of payloads (property)', () => {
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
    const shape = fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(leaf, fc.array(leaf, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), leaf, { maxKeys: 3 })), {
      minKeys: 1,
      maxKeys: 5,
    });
    // A payload is a template's text with any string at its marked leaf, sometimes a raw body spliced in (escapes,
    // quotes, control characters: valid or not), or an unrelated value or text.
    const payload = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('template' as const), text: fc.string({ unit: 'binary', maxLength: 12 }), second: fc.string({ unit: 'binary', maxLength: 6 }) }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('raw' as const), text: fc.string({ maxLength: 12 }), second: fc.string({ maxLength: 6 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('other' as const), text: fc.json({ maxDepth: 2 }) }) },
    );
    fc.assert(
      fc.property(shape, shape, fc.boolean(), fc.array(payload, { minLength: 2, maxLength: 30 }), (template, between, twoHoles, payloads) => {
        const mark = '\u0000MARK\u0000';
        const marked = twoHoles ? { ...template, hole: mark, between, other: mark } : { ...template, hole: mark };
        const [before, middle, after] = JSON.stringify(marked).split(JSON.stringify(mark));
        const reader = new StreamJsonReader();
        for (const item of payloads) {
          const fill = (first: string, second: string) => (twoHoles ? `${before}${first}${middle}${second}${after}` : `${before}${first}${middle}`);
          const text =
            item.kind === 'template'
              ? fill(JSON.stringify(item.text), JSON.stringify(item.second))
              : item.kind === 'raw'
                ? fill(`"${item.text}"`, `"${item.second}"`)
                : item.text;
          expect(reader.parse(text)).toEqual(reference(text));
        }
      }),
      { numRuns: 400 },
    );
  });
});
