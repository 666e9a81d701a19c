import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from './sse-parser.ts';

function parseInChunks(text: string, cuts: number[]): SseEvent[] {
  const bytes = new TextEncoder().encode(text);
  const parser = new SseParser();
  const events: SseEvent[] = [];
  let start = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    events.push(...parser.push(bytes.slice(start, cut)));
    start = cut;
  }
  events.push(...parser.push(bytes.slice(start)), ...parser.end());
  return events;
}

describe('SseParser', () => {
  it('reads named events, multi-line data, ids and ignores comments and unknown fields', () => {
    const text = ': keep-alive\nevent: message_start\ndata: {"a":1}\n\nid: 7\nretry: 100\nfoo: bar\ndata: line one\ndata:line two\n\n';
    expect(parseInChunks(text, [])).toEqual([
      { event: 'message_start', data: '{"a":1}' },
      { data: 'line one\nline two', id: '7' },
    ]);
  });

  it('accepts LF, CRLF and CR line endings, and strips only one leading space', () => {
    expect(parseInChunks('data:  two spaces\r\n\r\ndata: x\r\rdata: y\n\n', [])).toEqual([{ data: ' two spaces' }, { data: 'x' }, { data: 'y' }]);
  });

  it('does not dispatch an event without data and resets its name', () => {
    expect(parseInChunks('event: ping\n\ndata: after\n\n', [])).toEqual([{ data: 'after' }]);
  });

  it('flushes a last event the upstream did not terminate with a blank line', () => {
    expect(parseInChunks('data: {"done":true}', [])).toEqual([{ data: '{"done":true}' }]);
  });

  it('handles a UTF-8 character and a CRLF pair split across chunks, and a BOM', () => {
    const text = '\uFEFFdata: héllo ✓\r\n\r\n';
    const bytes = new TextEncoder().encode(text);
    for (let cut = 1; cut < bytes.length; cut += 1) expect(parseInChunks(text, [cut])).toEqual([{ data: 'héllo ✓' }]);
  });

  it('gives the same events for any chunking of any stream', () => {
    const line = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ':', 'é', '{', '"'), maxLength: 12 });
    const event = fc.record({ name: fc.option(fc.constantFrom('delta', 'stop'), { nil: undefined }), lines: fc.array(line, { minLength: 1, maxLength: 3 }) });
    const ending = fc.constantFrom('\n', '\r\n', '\r');
    fc.assert(
      fc.property(fc.array(event, { maxLength: 6 }), ending, fc.array(fc.nat(), { maxLength: 8 }), (events, eol, rawCuts) => {
        const text = events.map((item) => (item.name ? `event: ${item.name}${eol}` : '') + item.lines.map((data) => `data: ${data}${eol}`).join('') + eol).join('');
        const length = new TextEncoder().encode(text).length;
        const cuts = rawCuts.map((cut) => (length === 0 ? 0 : cut % length));
        expect(parseInChunks(text, cuts)).toEqual(parseInChunks(text, []));
        expect(parseInChunks(text, []).length).toBe(events.length);
      }),
      { numRuns: 300 },
    );
  });
});
