import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { replaceJsonModel } from './replace-json-model.ts';

const swap = (text: string, model: string) => replaceJsonModel(Buffer.from(text), model).toString('utf8');

describe('replaceJsonModel', () => {
  it('replaces only the top-level model and keeps every other byte', () => {
    const body = '{ "messages" : [{"model":"inner","content":"say \\"model\\": x"}],\n  "model":"claude-x" ,"n":1.50e3}';
    expect(swap(body, 'real-model')).toBe(body.replace('"model":"claude-x"', '"model":"real-model"'));
  });

  it('handles escapes in keys and values, unicode, and duplicate keys (JSON.parse keeps the last)', () => {
    const body = '{"mod\\u0065l":"a\\\\","x":"é\\"}","model":"b"}';
    const out = swap(body, 'new');
    expect(JSON.parse(out)).toEqual({ model: 'new', x: 'é"}' });
    expect(out).toBe('{"mod\\u0065l":"new","x":"é\\"}","model":"new"}');
  });

  it('leaves a body without a model untouched and rejects non-objects', () => {
    expect(swap('{"a":[1,{"b":"}"}]}', 'm')).toBe('{"a":[1,{"b":"}"}]}');
    expect(() => swap('[1]', 'm')).toThrow(SyntaxError);
  });

  it('agrees with JSON.parse on random objects', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), fc.string(), (object, oldModel, newModel) => {
        const text = JSON.stringify({ ...object, model: oldModel }, null, object.a === undefined ? 0 : 2);
        const parsed = JSON.parse(replaceJsonModel(Buffer.from(text), newModel).toString('utf8'));
        expect(parsed).toEqual({ ...JSON.parse(text), model: newModel });
      }),
      { numRuns: 300 },
    );
  });
});
