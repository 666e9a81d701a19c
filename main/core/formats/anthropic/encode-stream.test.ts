import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Warnings } from '../canonical/warnings.ts';
import { AnthropicStreamEncoder } from './encode-stream.ts';

const options = { warnings: new Warnings(), model: 'claude-x', renamedTools: {}, customTools: [], includeUsage: false };

describe('Anthropic stream encoder, text deltas', () => {
  it('writes exactly what stringifying the event object gives, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.nat(3), (text, blocksBefore) => {
        const encoder = new AnthropicStreamEncoder(options);
        encoder.encode({ type: 'message_start' });
        for (let index = 0; index < blocksBefore; index += 1) {
          encoder.encode({ type: 'block_start', index, block: { kind: 'text' } });
          encoder.encode({ type: 'block_stop', index });
        }
        encoder.encode({ type: 'block_start', index: blocksBefore, block: { kind: 'text' } });
        const written = encoder.encode({ type: 'text_delta', index: blocksBefore, text });
        const expected = { type: 'content_block_delta', index: blocksBefore, delta: { type: 'text_delta', text } };
        expect(written).toBe(`event: content_block_delta\ndata: ${JSON.stringify(expected)}\n\n`);
        expect(JSON.parse(written.split('\n')[1]!.slice('data: '.length))).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('writes nothing for a delta outside a block', () => {
    const encoder = new AnthropicStreamEncoder(options);
    encoder.encode({ type: 'message_start' });
    expect(encoder.encode({ type: 'text_delta', index: 0, text: 'x' })).toBe('');
  });
});
