// The byte-level SSE parser (sse-parser.ts) against the string-based one it replaced (kept here, verbatim but for its
// name, as the reference): for any byte stream — valid and invalid UTF-8, byte order marks, every kind of line break,
// comments, ids, multi-line data — cut at any places, both must dispatch exactly the same events (issue 18, point 6).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from './sse-parser.ts';


function parse(parser: { push(chunk: Uint8Array): SseEvent[]; end(): SseEvent[] }, bytes: Uint8Array, cuts: number[]): SseEvent[] {
  const events: SseEvent[] = [];
  let start = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    events.push(...parser.push(bytes.subarray(start, cut)));
    start = cut;
  }
  events.push(...parser.push(bytes.subarray(start)), ...parser.end());
  return events;
}

const encoder = new TextEncoder();
const piece = fc.oneof(
  fc.constantFrom('data', 'data:', 'data: ', 'event: ', 'event:', 'id: ', 'id:\u0000x', 'retry: 10', ': comment', ':', 'dat', 'a', ' ', '{"t":"é✓🎉"}', '\u2028', '\uFEFF'),
  fc.string({ maxLength: 6 }),
).map((text) => encoder.encode(text));
const lineBreak = fc.constantFrom('\n', '\r\n', '\r', '\n\n', '\r\n\r\n').map((text) => encoder.encode(text));
const rawBytes = fc.uint8Array({ maxLength: 6 }).map((bytes) => bytes.map((byte) => (byte % 3 === 0 ? 0x80 + (byte % 64) : byte)));
const bom = fc.constantFrom(Uint8Array.of(0xef, 0xbb, 0xbf), Uint8Array.of(0xef, 0xbb), Uint8Array.of(0xef), Uint8Array.of());

const stream = fc
  .tuple(fc.array(bom, { maxLength: 3 }), fc.array(fc.oneof({ arbitrary: piece, weight: 5 }, { arbitrary: lineBreak, weight: 3 }, { arbitrary: rawBytes, weight: 1 }), { maxLength: 40 }))
  .map(([marks, parts]) => Buffer.concat([...marks, ...parts]));

describe('SseParser (bytes) against the string parser it replaced', () => {
  it('dispatches the same events for any bytes in any chunking', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 10 }), (bytes, rawCuts) => {
        const cuts = rawCuts.map((cut) => (bytes.length === 0 ? 0 : cut % (bytes.length + 1)));
        expect(parse(new SseParser(), bytes, cuts)).toEqual(parse(new StringSseParser(), bytes, cuts));
      }),
      { numRuns: 3000 },
    );
  });

  it('dispatches the same events one byte at a time', () => {
    fc.assert(
      fc.property(stream, (bytes) => {
        const cuts = Array.from({ length: bytes.length }, (_, index) => index);
        expect(parse(new SseParser(), bytes, cuts)).toEqual(parse(new StringSseParser(), bytes, []));
      }),
      { numRuns: 500 },
    );
  });
});

/** The parser before issue 18: decodes chunks to text, then splits lines in the string. */
class StringSseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  /** The previous chunk ended with CR: a LF at the start of the next chunk belongs to the same line break. */
  private skipLeadingLineFeed = false;
  private atStreamStart = true;
  private eventName: string | undefined;
  private dataLines: string[] = [];
  private lastEventId: string | undefined;

  push(chunk: Uint8Array): SseEvent[] {
    return this.feed(this.decoder.decode(chunk, { stream: true }));
  }

  /** The stream ended: flushes a final event even when the upstream omitted the closing blank line. */
  end(): SseEvent[] {
    const events = this.feed(this.decoder.decode());
    if (this.buffer !== '') {
      this.processLine(this.buffer, events);
      this.buffer = '';
    }
    this.dispatch(events);
    return events;
  }

  private feed(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    if (text === '') return events;
    if (this.atStreamStart) {
      this.atStreamStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.skipLeadingLineFeed) {
      this.skipLeadingLineFeed = false;
      if (text.charCodeAt(0) === 10) text = text.slice(1);
    }
    const input = this.buffer + text;
    let lineStart = 0;
    let cursor = 0;
    // The next CR is remembered rather than searched for on every line: most streams use LF only, and searching
    // the rest of the chunk for a CR that is not there, once per line, made parsing quadratic in the chunk size.
    let carriageReturn = input.indexOf('\r');
    while (cursor < input.length) {
      const lineFeed = input.indexOf('\n', cursor);
      if (carriageReturn !== -1 && carriageReturn < cursor) carriageReturn = input.indexOf('\r', cursor);
      let end: number;
      if (lineFeed === -1 && carriageReturn === -1) break;
      if (carriageReturn === -1 || (lineFeed !== -1 && lineFeed < carriageReturn)) end = lineFeed;
      else end = carriageReturn;
      this.processLine(input.slice(lineStart, end), events);
      let next = end + 1;
      if (input.charCodeAt(end) === 13) {
        if (next < input.length) {
          if (input.charCodeAt(next) === 10) next += 1;
        } else {
          this.skipLeadingLineFeed = true;
        }
      }
      lineStart = next;
      cursor = next;
    }
    this.buffer = input.slice(lineStart);
    return events;
  }

  private processLine(line: string, events: SseEvent[]): void {
    if (line === '') {
      this.dispatch(events);
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' comment */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case 'data':
        this.dataLines.push(value);
        break;
      case 'event':
        this.eventName = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      default:
        break; // `retry` and unknown fields are ignored, as the spec says.
    }
  }

  private dispatch(events: SseEvent[]): void {
    if (this.dataLines.length === 0) {
      this.eventName = undefined;
      return;
    }
    const event: SseEvent = { data: this.dataLines.join('\n') };
    if (this.eventName) event.event = this.eventName;
    if (this.lastEventId !== undefined) event.id = this.lastEventId;
    events.push(event);
    this.dataLines = [];
    this.eventName = undefined;
  }
}
