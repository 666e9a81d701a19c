export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * Incremental server-sent-events parser (the WHATWG format: `event:` / `data:` lines, blank line ends an event,
 * `:` starts a comment). Fed text chunks as they arrive; returns the events completed by each chunk.
 */
export class SseReader {
  #buffer = '';
  #event = '';
  #data: string[] = [];

  push(chunk: string): ServerSentEvent[] {
    this.#buffer += chunk;
    const events: ServerSentEvent[] = [];
    let newline = this.#buffer.search(/\r\n|\n|\r/);
    while (newline !== -1) {
      const line = this.#buffer.slice(0, newline);
      const width = this.#buffer.startsWith('\r\n', newline) ? 2 : 1;
      this.#buffer = this.#buffer.slice(newline + width);
      if (line === '') {
        if (this.#data.length > 0) events.push({ event: this.#event || 'message', data: this.#data.join('\n') });
        this.#event = '';
        this.#data = [];
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') this.#event = value;
        else if (field === 'data') this.#data.push(value);
      }
      newline = this.#buffer.search(/\r\n|\n|\r/);
    }
    return events;
  }
}
