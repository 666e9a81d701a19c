// JSON read as bytes, without decoding: the few facts every byte-level scan of a request or an upstream stream needs
// (passthrough's model splice, the edge's nesting check, the usage readers' object scanner), in one place.

export const jsonByte = {
  quote: 0x22,
  backslash: 0x5c,
  openBrace: 0x7b,
  closeBrace: 0x7d,
  openBracket: 0x5b,
  closeBracket: 0x5d,
  comma: 0x2c,
  colon: 0x3a,
} as const;

export function isJsonSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * The index just past the closing quote of the string whose opening quote is at `start`, or -1 when it does not end
 * in `bytes`. Jumps from quote to quote with the native search (strings are most of a real body); a quote preceded
 * by an odd number of backslashes is escaped.
 */
export function stringEnd(bytes: Uint8Array, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = bytes.indexOf(jsonByte.quote, from);
    if (quote === -1) return -1;
    let backslashes = 0;
    for (let back = quote - 1; back > start && bytes[back] === jsonByte.backslash; back -= 1) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** The index just past the object that starts at `start` (a `{`), or -1 when it is not complete in `bytes`. */
export function objectEnd(bytes: Uint8Array, start: number): number {
  let depth = 0;
  for (let index = start; index < bytes.length; index++) {
    const byte = bytes[index];
    if (byte === jsonByte.quote) {
      const end = stringEnd(bytes, index);
      if (end === -1) return -1;
      index = end - 1;
    } else if (byte === jsonByte.openBrace) depth++;
    else if (byte === jsonByte.closeBrace && --depth === 0) return index + 1;
  }
  return -1;
}
