// Incremental Server-Sent Events parser (WHATWG HTML "event stream interpretation").
// Bytes arrive in arbitrary chunks: a UTF-8 character, a CRLF pair or a field name may be split between two
// chunks. Lines end with CRLF, LF or CR; `event:`, `data:` (several data lines join with "\n"), `id:` and
// comment lines (starting with ':') are understood; an event is dispatched at the blank line that ends it.
// Nothing is buffered beyond the current unfinished line and event.
//
// The parser works on the bytes: line breaks are found with a native byte search, field names are compared as
// bytes, and only field values are decoded, one string per value (docs/performance.md). Decoding whole chunks to a
// string first and slicing that cost a chunk-sized string, a slice per line and per value, and an array per event,
// on the path every translated stream takes. LF and CR never occur inside a UTF-8 sequence, so a line always holds
// whole characters and decoding it alone gives what decoding the stream would.

export interface SseEvent {
  /** The `event:` field, when the stream names its events (Anthropic, OpenAI Responses). */
  event?: string;
  data: string;
  id?: string;
}

const lineFeed = 10;
const carriageReturn = 13;
const colon = 58;
const space = 32;
const byteOrderMark = [0xef, 0xbb, 0xbf];
const empty = Buffer.alloc(0);

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** bytes[start, start + length) spells `name` (ASCII). */
function fieldIs(bytes: Buffer, start: number, length: number, name: string): boolean {
  if (length !== name.length) return false;
  for (let index = 0; index < length; index += 1) if (bytes[start + index] !== name.charCodeAt(index)) return false;
  return true;
}

export class SseParser {
  /** Bytes of a line whose end has not arrived yet. */
  private pending: Buffer = empty;
  /** The previous chunk ended with CR: a LF at the start of the next chunk belongs to the same line break. */
  private skipLeadingLineFeed = false;
  /**
   * Byte order marks still to strip at the start of the stream: the one the spec allows and, as the decoder this parser
   * replaced did, one more right after it. `head` holds the first bytes while they may still be the start of one.
   */
  private marksToStrip = 2;
  private head: Buffer = empty;
  private eventName: string | undefined;
  /** The event's data lines: the first as a string (nearly every event has one line), any further ones in a list. */
  private data: string | undefined;
  private moreData: string[] | undefined;
  private lastEventId: string | undefined;

  /** The events completed by `chunk`, appended to `events` (a new array unless one is given) and returned. */
  push(chunk: Uint8Array, events: SseEvent[] = []): SseEvent[] {
    let bytes = asBuffer(chunk);
    if (this.marksToStrip > 0) {
      const stripped = this.stripByteOrderMarks(bytes);
      if (stripped === undefined) return events;
      bytes = stripped;
    }
    this.feed(bytes, events);
    return events;
  }

  /** The stream ended: flushes a final event even when the upstream omitted the closing blank line. */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.head.length > 0) {
      // The stream ended inside what looked like a byte order mark: those bytes are ordinary (invalid) text.
      const head = this.head;
      this.head = empty;
      this.marksToStrip = 0;
      this.feed(head, events);
    }
    if (this.pending.length > 0) {
      const line = this.pending;
      this.pending = empty;
      this.processLine(line, 0, line.length, events);
    }
    this.dispatch(events);
    return events;
  }

  /** The chunk without leading byte order marks, or undefined while the bytes so far may still be one. */
  private stripByteOrderMarks(chunk: Buffer): Buffer | undefined {
    let bytes = this.head.length > 0 ? Buffer.concat([this.head, chunk]) : chunk;
    this.head = empty;
    while (this.marksToStrip > 0) {
      const length = Math.min(bytes.length, 3);
      for (let index = 0; index < length; index += 1) {
        if (bytes[index] !== byteOrderMark[index]) {
          this.marksToStrip = 0;
          return bytes;
        }
      }
      if (length < 3) {
        this.head = Buffer.from(bytes);
        return undefined;
      }
      bytes = bytes.subarray(3);
      this.marksToStrip -= 1;
    }
    return bytes;
  }

  private feed(bytes: Buffer, events: SseEvent[]): void {
    let cursor = 0;
    if (this.skipLeadingLineFeed && bytes.length > 0) {
      this.skipLeadingLineFeed = false;
      if (bytes[0] === lineFeed) cursor = 1;
    }
    let lineStart = cursor;
    // The next CR is remembered rather than searched for on every line: most streams use LF only, and searching
    // the rest of the chunk for a CR that is not there, once per line, made parsing quadratic in the chunk size.
    let nextCarriageReturn = bytes.indexOf(carriageReturn, cursor);
    while (cursor < bytes.length) {
      const nextLineFeed = bytes.indexOf(lineFeed, cursor);
      if (nextCarriageReturn !== -1 && nextCarriageReturn < cursor) nextCarriageReturn = bytes.indexOf(carriageReturn, cursor);
      if (nextLineFeed === -1 && nextCarriageReturn === -1) break;
      const end = nextCarriageReturn === -1 || (nextLineFeed !== -1 && nextLineFeed < nextCarriageReturn) ? nextLineFeed : nextCarriageReturn;
      if (this.pending.length > 0) {
        const line = Buffer.concat([this.pending, bytes.subarray(lineStart, end)]);
        this.pending = empty;
        this.processLine(line, 0, line.length, events);
      } else {
        this.processLine(bytes, lineStart, end, events);
      }
      let next = end + 1;
      if (bytes[end] === carriageReturn) {
        if (next < bytes.length) {
          if (bytes[next] === lineFeed) next += 1;
        } else {
          this.skipLeadingLineFeed = true;
        }
      }
      lineStart = next;
      cursor = next;
    }
    if (lineStart < bytes.length) {
      // An unfinished line: copied, so the upstream's chunk is not kept alive for the sake of a few bytes.
      const rest = bytes.subarray(lineStart);
      this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, rest]) : Buffer.from(rest);
    }
  }

  private processLine(bytes: Buffer, start: number, end: number, events: SseEvent[]): void {
    if (start === end) {
      this.dispatch(events);
      return;
    }
    if (bytes[start] === colon) return; // a comment
    let fieldEnd = start;
    while (fieldEnd < end && bytes[fieldEnd] !== colon) fieldEnd += 1;
    let valueStart = fieldEnd < end ? fieldEnd + 1 : end;
    if (valueStart < end && bytes[valueStart] === space) valueStart += 1;
    const fieldLength = fieldEnd - start;
    if (fieldIs(bytes, start, fieldLength, 'data')) {
      const value = bytes.toString('utf8', valueStart, end);
      if (this.data === undefined) this.data = value;
      else (this.moreData ??= []).push(value);
    } else if (fieldIs(bytes, start, fieldLength, 'event')) {
      this.eventName = bytes.toString('utf8', valueStart, end);
    } else if (fieldIs(bytes, start, fieldLength, 'id')) {
      const value = bytes.toString('utf8', valueStart, end);
      if (!value.includes('\0')) this.lastEventId = value;
    }
    // `retry` and unknown fields are ignored, as the spec says.
  }

  private dispatch(events: SseEvent[]): void {
    if (this.data === undefined) {
      this.eventName = undefined;
      return;
    }
    const event: SseEvent = { data: this.moreData === undefined ? this.data : [this.data, ...this.moreData].join('\n') };
    if (this.eventName) event.event = this.eventName;
    if (this.lastEventId !== undefined) event.id = this.lastEventId;
    events.push(event);
    this.data = undefined;
    this.moreData = undefined;
    this.eventName = undefined;
  }
}
