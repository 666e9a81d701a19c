import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Warnings } from '../canonical/warnings.ts';
import { ChatStreamEncoder } from './encode-stream.ts';

const optionsFor = (model: string) => ({ warnings: new Warnings(), model, renamedTools: {}, customTools: [], includeUsage: false });
const dataOf = (written: string) => JSON.parse(written.slice('data: '.length, -2)) as Record<string, unknown>;

describe('OpenAI Chat stream encoder, text deltas', () => {
  it('writes exactly what stringifying the chunk object gives, for any text and model name', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 4 }),
        // The frame is found with a marker: a model named like it must not confuse it.
        fc.oneof(fc.string({ unit: 'binary' }), fc.constant('switchyard-text-hole'), fc.constant('"switchyard-text-hole"')),
        fc.option(fc.constantFrom('chatcmpl-upstream-1', 'chatcmpl-"quoted"', 'msg_not_chat'), { nil: undefined }),
        (texts, model, upstreamId) => {
          const encoder = new ChatStreamEncoder(optionsFor(model));
          const first = dataOf(encoder.encode({ type: 'message_start', ...(upstreamId ? { id: upstreamId } : {}) }));
          encoder.encode({ type: 'block_start', index: 0, block: { kind: 'text' } });
          for (const text of texts) {
            const written = encoder.encode({ type: 'text_delta', index: 0, text });
            if (text === '') {
              expect(written).toBe('');
              continue;
            }
            const expected = { id: first.id, object: 'chat.completion.chunk', created: first.created, model, choices: [{ index: 0, delta: { content: text }, finish_reason: null, logprobs: null }] };
            expect(written).toBe(`data: ${JSON.stringify(expected)}\n\n`);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('uses the id the upstream gave when it looks like a chat completion id', () => {
    const encoder = new ChatStreamEncoder(optionsFor('m'));
    encoder.encode({ type: 'message_start', id: 'chatcmpl-abc' });
    encoder.encode({ type: 'block_start', index: 0, block: { kind: 'text' } });
    expect(dataOf(encoder.encode({ type: 'text_delta', index: 0, text: 'hi' })).id).toBe('chatcmpl-abc');
  });
});
