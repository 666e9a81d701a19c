// Incremental Server-Sent Events parser (WHATWG HTML "event stream interpretation").
// Bytes arrive in arbitrary chunks: a UTF-8 character, a CRLF pair or a field name may be split between two
// chunks. Lines end with CRLF, LF or CR; `event:`, `data:` (several data lines join with "\n"), `id:` and
// comment lines (starting with ':') are understood; an event is dispatched at the blank line that ends it.
// Nothing is buffered beyond the current unfinished line and event.

export interface SseEvent {
  /** The `event:` field, when the stream names its events (Anthropic, OpenAI Responses). */
  event?: string;
  data: string;
  id?: string;
}

export class SseParser {
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
