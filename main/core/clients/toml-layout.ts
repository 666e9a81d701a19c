/**
 * Where things are in a TOML document, by character offset: table headers and key/value pairs with the exact span
 * of each value. Enough structure to edit a few keys in place and leave every other byte (comments, order,
 * spacing, other tables) as it was. Validity is checked separately by a real TOML parser; this scanner only has
 * to find its way through valid TOML (strings of all four kinds, arrays and inline tables spanning lines).
 */
export interface TomlHeader {
  kind: 'header';
  /** Dotted path of the table; array-of-tables headers end with "[]". */
  path: string[];
  /** Offset of the start of the header's line and of the start of the next line. */
  lineStart: number;
  lineEnd: number;
}

export interface TomlPair {
  kind: 'pair';
  /** Path of the table the pair is in ([] for the top level). */
  table: string[];
  key: string[];
  valueStart: number;
  valueEnd: number;
  lineStart: number;
  /** Offset just past the pair's line (after its newline, or the end of the text). */
  lineEnd: number;
}

export type TomlItem = TomlHeader | TomlPair;

export class TomlLayoutError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

class Scanner {
  position = 0;
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }

  peek(offset = 0): string {
    return this.text[this.position + offset] ?? '';
  }

  startsWith(value: string): boolean {
    return this.text.startsWith(value, this.position);
  }

  skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.position += 1;
  }

  /** Spaces, newlines and comments (inside arrays, between values). */
  skipBlank(): void {
    for (;;) {
      const character = this.peek();
      if (character === ' ' || character === '\t' || character === '\n' || character === '\r') this.position += 1;
      else if (character === '#') this.skipComment();
      else return;
    }
  }

  skipComment(): void {
    while (this.position < this.text.length && this.peek() !== '\n') this.position += 1;
  }

  /** To just past the end of the current line. */
  finishLine(): number {
    this.skipSpaces();
    if (this.peek() === '#') this.skipComment();
    if (this.peek() === '\r') this.position += 1;
    if (this.peek() === '\n') this.position += 1;
    else if (this.position < this.text.length) throw new TomlLayoutError('unexpected text after a value', this.position);
    return this.position;
  }

  string(): string {
    if (this.startsWith('"""') || this.startsWith("'''")) {
      const fence = this.text.slice(this.position, this.position + 3);
      let end = this.text.indexOf(fence, this.position + 3);
      if (fence === '"""') while (end !== -1 && isEscaped(this.text, end)) end = this.text.indexOf(fence, end + 1);
      if (end === -1) throw new TomlLayoutError('a multi-line string is not closed', this.position);
      // Up to two more quotes may directly follow and belong to the string.
      let close = end + 3;
      while (close < this.text.length && this.text[close] === fence[0] && close < end + 5) close += 1;
      const value = this.text.slice(this.position + 3, close - 3);
      this.position = close;
      return value;
    }
    const quote = this.peek();
    let index = this.position + 1;
    let value = '';
    while (index < this.text.length && this.text[index] !== quote) {
      if (this.text[index] === '\n') throw new TomlLayoutError('a string is not closed on its line', this.position);
      if (quote === '"' && this.text[index] === '\\') {
        value += this.text.slice(index, index + 2);
        index += 2;
      } else {
        value += this.text[index];
        index += 1;
      }
    }
    if (index >= this.text.length) throw new TomlLayoutError('a string is not closed', this.position);
    this.position = index + 1;
    return quote === '"' ? unescapeBasic(value) : value;
  }

  key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipSpaces();
      const character = this.peek();
      if (character === '"' || character === "'") parts.push(this.string());
      else {
        const match = /^[A-Za-z0-9_-]+/.exec(this.text.slice(this.position, this.position + 256));
        if (!match) throw new TomlLayoutError('expected a key', this.position);
        parts.push(match[0]);
        this.position += match[0].length;
      }
      this.skipSpaces();
      if (this.peek() !== '.') return parts;
      this.position += 1;
    }
  }

  value(): void {
    const character = this.peek();
    if (character === '"' || character === "'") {
      this.string();
      return;
    }
    if (character === '[' || character === '{') {
      const close = character === '[' ? ']' : '}';
      this.position += 1;
      for (;;) {
        this.skipBlank();
        if (this.peek() === close) {
          this.position += 1;
          return;
        }
        if (this.position >= this.text.length) throw new TomlLayoutError(`a ${character === '[' ? 'list' : 'table'} is not closed`, this.position);
        if (character === '{') {
          this.key();
          if (this.peek() !== '=') throw new TomlLayoutError('expected = in an inline table', this.position);
          this.position += 1;
          this.skipSpaces();
        }
        this.value();
        this.skipBlank();
        if (this.peek() === ',') this.position += 1;
      }
    }
    const match = /^[^\s#,\]}]+/.exec(this.text.slice(this.position, this.position + 256));
    if (!match) throw new TomlLayoutError('expected a value', this.position);
    this.position += match[0].length;
    // Dates with a time after a space ("1979-05-27 07:32:00Z") are one value.
    const time = /^ \d{2}:\d{2}[^\s#,\]}]*/.exec(this.text.slice(this.position, this.position + 64));
    if (time && /^\d{4}-\d{2}-\d{2}$/.test(match[0])) this.position += time[0].length;
  }
}

function isEscaped(text: string, index: number): boolean {
  let backslashes = 0;
  for (let cursor = index - 1; cursor >= 0 && text[cursor] === '\\'; cursor -= 1) backslashes += 1;
  return backslashes % 2 === 1;
}

function unescapeBasic(value: string): string {
  return value.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_match, escape: string) => {
    if (escape.length > 1) return String.fromCodePoint(parseInt(escape.slice(1), 16));
    return ({ b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' } as Record<string, string>)[escape] ?? escape;
  });
}

/** The headers and pairs of a TOML document in order. Throws TomlLayoutError on text it cannot follow. */
export function tomlLayout(text: string): TomlItem[] {
  const scanner = new Scanner(text);
  const items: TomlItem[] = [];
  let table: string[] = [];
  for (;;) {
    const lineStart = scanner.position;
    scanner.skipSpaces();
    const character = scanner.peek();
    if (scanner.position >= text.length) return items;
    if (character === '\n' || character === '\r' || character === '#') {
      scanner.finishLine();
      continue;
    }
    if (character === '[') {
      const isArray = scanner.peek(1) === '[';
      scanner.position += isArray ? 2 : 1;
      const path = scanner.key();
      if (scanner.peek() !== ']' || (isArray && scanner.peek(1) !== ']')) throw new TomlLayoutError('a table header is not closed', scanner.position);
      scanner.position += isArray ? 2 : 1;
      table = isArray ? [...path, '[]'] : path;
      items.push({ kind: 'header', path: table, lineStart, lineEnd: scanner.finishLine() });
      continue;
    }
    const key = scanner.key();
    if (scanner.peek() !== '=') throw new TomlLayoutError('expected = after a key', scanner.position);
    scanner.position += 1;
    scanner.skipSpaces();
    const valueStart = scanner.position;
    scanner.value();
    const valueEnd = scanner.position;
    items.push({ kind: 'pair', table, key, valueStart, valueEnd, lineStart, lineEnd: scanner.finishLine() });
  }
}

export function samePath(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((part, index) => part === right[index]);
}
