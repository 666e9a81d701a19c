import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createJsonObjectScanner } from './json-object-scanner.ts';

/** Every object the scanner reports for `bytes` pushed in pieces cut at `cuts`. */
function scanInPieces(bytes: Buffer, cuts: number[]): string[] {
  const found: string[] = [];
  const scanner = createJsonObjectScanner('usage', (json) => found.push(json));
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (cut <= from || cut >= bytes.length) continue;
    scanner.push(bytes.subarray(from, cut));
    from = cut;
  }
  scanner.push(bytes.subarray(from));
  return found;
}

// Pieces the needle can be cut into, usage objects, and text around them (quotes, colons, near-misses).
const fragment = fc.constantFrom(
  '"usage":{"input_tokens":12}',
  '"usage": {"output_tokens":3,"x":{"y":"}"}}',
  '"usage":null',
  '"usage"',
  '"usag',
  ':',
  '"',
  'e":{"a":1}',
  'data: {"type":"content_block_delta","delta":{"text":"the \\"usage\\": field"}}\n\n',
  '{"a":"b"}',
  '\n\n',
  'u',
  'sage":',
);

describe('json object scanner', () => {
  it('reports the same objects however the stream is cut, a needle split over two or more chunks included', () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 30 }), fc.array(fc.nat(2000), { maxLength: 40 }), (parts, cuts) => {
        const bytes = Buffer.from(parts.join(''));
        expect(scanInPieces(bytes, cuts)).toEqual(scanInPieces(bytes, []));
      }),
      { numRuns: 3000 },
    );
  });

  it('finds a needle cut at every position, and one cut over three one-byte chunks', () => {
    const bytes = Buffer.from('data: {"x":1}\n\ndata: {"usage":{"input_tokens":7}}\n\n');
    for (let cut = 1; cut < bytes.length; cut++) expect(scanInPieces(bytes, [cut])).toEqual(['{"input_tokens":7}']);
    const at = bytes.indexOf('"usage"');
    for (let cut = at; cut < at + 8; cut++) expect(scanInPieces(bytes, [cut, cut + 1, cut + 2])).toEqual(['{"input_tokens":7}']);
  });

  it('does not report text that only mentions the key inside a string', () => {
    expect(scanInPieces(Buffer.from('{"text":"\\"usage\\":{\\"a\\":1}"}'), [])).toEqual([]);
  });
});
