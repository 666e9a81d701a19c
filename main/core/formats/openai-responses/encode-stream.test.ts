import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Warnings } from '../canonical/warnings.ts';
import { ResponsesStreamEncoder } from './encode-stream.ts';

const options = { warnings: new Warnings(), model: 'gpt-x', renamedTools: {}, customTools: [], includeUsage: false };

/** The data of every event in some written SSE text. */
const eventsOf = (written: string) =>
  written
    .split('\n\n')
    .filter(Boolean)
    .map((event) => JSON.parse(event.split('\n')[1]!.slice('data: '.length)) as Record<string, unknown>);

describe('OpenAI Responses stream encoder, text deltas', () => {
  it('writes exactly what stringifying the event object gives, for any text, in any item', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 4 }), fc.nat(2), (texts, itemsBefore) => {
        const encoder = new ResponsesStreamEncoder(options);
        let sequence = -1;
        const track = (written: string) => {
          for (const event of eventsOf(written)) sequence = event.sequence_number as number;
          return written;
        };
        track(encoder.encode({ type: 'message_start' }));
        for (let index = 0; index < itemsBefore; index += 1) {
          track(encoder.encode({ type: 'block_start', index, block: { kind: 'text' } }));
          track(encoder.encode({ type: 'text_delta', index, text: 'before' }));
          track(encoder.encode({ type: 'block_stop', index }));
        }
        const added = eventsOf(track(encoder.encode({ type: 'block_start', index: itemsBefore, block: { kind: 'text' } })));
        const itemId = (added[0]!.item as { id: string }).id;
        for (const text of texts) {
          const written = encoder.encode({ type: 'text_delta', index: itemsBefore, text });
          if (text === '') {
            expect(written).toBe('');
            continue;
          }
          const expected = { type: 'response.output_text.delta', sequence_number: sequence + 1, item_id: itemId, output_index: itemsBefore, content_index: 0, delta: text, logprobs: [] };
          expect(written).toBe(`event: response.output_text.delta\ndata: ${JSON.stringify(expected)}\n\n`);
          track(written);
        }
        // The item's text at its end is every delta, and the numbering goes on from the deltas.
        const done = eventsOf(encoder.encode({ type: 'block_stop', index: itemsBefore }));
        expect(done[0]!.sequence_number).toBe(sequence + 1);
        expect(done[0]!.text).toBe(texts.join(''));
      }),
      { numRuns: 300 },
    );
  });
});
