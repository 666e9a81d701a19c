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

  it('learns changing numbers and several strings: Responses events carry a sequence number beside the text', () => {
    const reader = new StreamJsonReader();
    const event = (sequence: number, delta: string, obfuscation: string) =>
      JSON.stringify({ type: 'response.output_text.delta', sequence_number: sequence, item_id: 'msg_1', output_index: 0, content_index: 0, delta, logprobs: [], obfuscation });
    const texts = Array.from({ length: 14 }, (_, index) => event(index + 3, `d${index}${index % 4 === 0 ? ' \\"q\\"' : ''}`, 'x'.repeat(index % 5)));
    const expected = texts.map((text) => JSON.parse(text));
    const parse = vi.spyOn(JSON, 'parse');
    texts.forEach((text, index) => expect(reader.parse(text)).toEqual(expected[index]));
    expect(parse.mock.calls.filter(([text]) => texts.includes(text as string)).length).toBeLessThan(5);
    // Gemini chunks that carry growing token counts.
    const gemini = new StreamJsonReader();
    const chunk = (text: string, count: number) =>
      JSON.stringify({ candidates: [{ content: { parts: [{ text }], role: 'model' }, index: 0 }], usageMetadata: { promptTokenCount: 9, candidatesTokenCount: count, totalTokenCount: 9 + count }, modelVersion: 'g' });
    for (let index = 0; index < 10; index += 1) {
      const text = chunk(`t${index}`, index * 3 + 1);
      expect(gemini.parse(text)).toEqual(JSON.parse(text));
    }
  });

  it('learns nothing from repeated payloads, changed keys or literals, or more than eight changed values', () => {
    const reader = new StreamJsonReader();
    const many = (index: number) => JSON.stringify(Object.fromEntries(Array.from({ length: 9 }, (_, key) => [`k${key}`, `v${key}-${index}`])));
    const texts = [
      ...Array.from({ length: 3 }, () => JSON.stringify({ a: 'same' })),
      ...Array.from({ length: 3 }, (_, index) => JSON.stringify({ [`key${index}`]: 'v', n: 1 })),
      ...Array.from({ length: 3 }, (_, index) => JSON.stringify({ flag: index % 2 === 0, n: 1 })),
      ...Array.from({ length: 3 }, (_, index) => many(index)),
    ];
    const expected = texts.map((text) => JSON.parse(text));
    const parse = vi.spyOn(JSON, 'parse');
    texts.forEach((text, index) => expect(reader.parse(text)).toEqual(expected[index]));
    // Every payload was parsed in full: none of these has a shape with at most eight changing values and nothing else.
    expect(parse.mock.calls.filter(([text]) => texts.includes(text as string))).toHaveLength(texts.length);
  });

  it('reads numbers only as JSON writes them', () => {
    const reader = new StreamJsonReader();
    const texts = ['{"n":1,"s":"a"}', '{"n":2,"s":"b"}', '{"n":-0,"s":"c"}', '{"n":1e3,"s":"d"}', '{"n":01,"s":"e"}', '{"n":+1,"s":"f"}', '{"n":1.,"s":"g"}', '{"n":2.5E-3,"s":"h"}'];
    for (const text of texts) expect(reader.parse(text)).toEqual(reference(text));
    expect(Object.is((reader.parse('{"n":-0,"s":"c"}') as { n: number }).n, -0)).toBe(true);
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
    // A template is a random object with one to four marked leaves, each a string or a number. A payload fills the
    // marks with encoded values, sometimes with raw text (escapes, quotes, control characters, malformed numbers:
    // valid or not), or is an unrelated value or text.
    const holeKinds = fc.array(fc.constantFrom('string' as const, 'number' as const), { minLength: 1, maxLength: 4 });
    const numberText = fc.oneof(
      fc.integer().map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => JSON.stringify(value)),
      fc.constantFrom('01', '+1', '1.', '-', '1e', '--1', '1.5e+3', '-0', '0.0', '1E2', '.5', 'Infinity', ''),
    );
    const fillers = fc.array(fc.record({ raw: fc.boolean(), text: fc.string({ unit: 'binary', maxLength: 12 }), number: numberText }), { minLength: 4, maxLength: 4 });
    const payload = fc.oneof(
      { weight: 9, arbitrary: fc.record({ kind: fc.constant('template' as const), fillers }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('other' as const), text: fc.json({ maxDepth: 2 }) }) },
    );
    fc.assert(
      fc.property(shape, holeKinds, fc.array(payload, { minLength: 2, maxLength: 30 }), (template, kinds, payloads) => {
        const marks = kinds.map((_, index) => `\u0000MARK${index}\u0000`);
        const marked: Record<string, unknown> = { ...template };
        kinds.forEach((_, index) => {
          marked[`hole${index}`] = marks[index];
          if (index % 2 === 1) marked[`between${index}`] = template;
        });
        let text = JSON.stringify(marked);
        const pieces: string[] = [];
        for (const mark of marks) {
          const [head, rest] = text.split(JSON.stringify(mark)) as [string, string];
          pieces.push(head);
          text = rest;
        }
        pieces.push(text);
        const reader = new StreamJsonReader();
        for (const item of payloads) {
          let payloadText: string;
          if (item.kind === 'other') payloadText = item.text;
          else {
            payloadText = pieces[0]!;
            kinds.forEach((kind, index) => {
              const filler = item.fillers[index]!;
              const value = kind === 'number' ? (filler.raw ? filler.number : String(filler.text.length * 7 - 3)) : filler.raw ? `"${filler.text}"` : JSON.stringify(filler.text);
              payloadText += `${value}${pieces[index + 1]!}`;
            });
          }
          expect(reader.parse(payloadText)).toEqual(reference(payloadText));
        }
      }),
      { numRuns: 500 },
    );
  });
});
