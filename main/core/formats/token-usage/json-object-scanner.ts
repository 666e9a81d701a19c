// Finds every `"<key>": {...}` object in a byte stream without decoding the stream: the key is searched as a byte
// needle, and only the bytes of a matching object are turned into a string for the caller to parse. Inside JSON
// strings quotes are escaped, so the needle (with its unescaped quotes) cannot match text a model wrote.
//
// It sees every chunk of every recorded stream, so the common chunk (no needle, none split across the boundary)
// costs one native search and allocates nothing: the last bytes of the previous chunk are kept in a fixed buffer, and
// a needle split across two chunks is noticed by comparing a few bytes in place. Only the rare cases (a needle that
// straddles chunks, an object still open at a chunk's end, chunks shorter than the needle) join bytes.

import { isJsonSpace, jsonByte, objectEnd } from '../json-bytes.ts';

const { openBrace } = jsonByte;

/** Objects bigger than this are not usage reports; they are skipped instead of buffered without end. */
const maxObjectBytes = 64 * 1024;

export interface JsonObjectScanner {
  push(chunk: Buffer): void;
}

export function createJsonObjectScanner(key: string, onObject: (json: string) => void): JsonObjectScanner {
  const needle = Buffer.from(`"${key}":`);
  const keep = needle.length - 1;
  /** The last `tailLength` (at most needle-length-minus-one) bytes seen, to notice a needle split across two chunks. */
  const tail = Buffer.alloc(keep);
  let tailLength = 0;
  /** An object that had begun but not ended in the bytes seen so far (rare: usage reports are small). */
  let partial: Buffer | undefined;

  /** Whether the tail and the start of `chunk` hold a needle that begins in the tail. */
  function straddles(chunk: Buffer): boolean {
    for (let inTail = Math.min(tailLength, keep); inTail >= 1; inTail--) {
      const rest = needle.length - inTail;
      if (chunk.length < rest) continue;
      if (tail.compare(needle, 0, inTail, tailLength - inTail, tailLength) !== 0) continue;
      if (chunk.compare(needle, inTail, needle.length, 0, rest) === 0) return true;
    }
    return false;
  }

  /** Keeps the last bytes of `data` (the bytes before it, when it is shorter than the tail, stay in front). */
  function keepTail(data: Buffer): void {
    if (data.length >= keep) {
      data.copy(tail, 0, data.length - keep);
      tailLength = keep;
      return;
    }
    const fromBefore = Math.min(tailLength, keep - data.length);
    tail.copyWithin(0, tailLength - fromBefore, tailLength);
    data.copy(tail, fromBefore);
    tailLength = fromBefore + data.length;
  }

  function scan(data: Buffer): void {
    let position = 0;
    for (;;) {
      const found = data.indexOf(needle, position);
      if (found === -1) break;
      let start = found + needle.length;
      while (start < data.length && isJsonSpace(data[start])) start++;
      if (start === data.length) {
        partial = Buffer.from(data.subarray(found));
        return;
      }
      if (data[start] !== openBrace) {
        position = start; // `null` or another value: nothing to report
        continue;
      }
      const end = objectEnd(data, start);
      if (end === -1) {
        partial = data.length - found <= maxObjectBytes ? Buffer.from(data.subarray(found)) : undefined;
        return;
      }
      onObject(data.toString('utf8', start, end));
      position = end;
    }
    keepTail(data);
  }

  return {
    push(chunk) {
      if (partial !== undefined) {
        const pending = partial;
        partial = undefined;
        tailLength = 0;
        scan(Buffer.concat([pending, chunk]));
        return;
      }
      if (tailLength > 0 && straddles(chunk)) {
        const joined = Buffer.alloc(tailLength + chunk.length);
        tail.copy(joined, 0, 0, tailLength);
        chunk.copy(joined, tailLength);
        tailLength = 0;
        scan(joined);
        return;
      }
      scan(chunk);
    },
  };
}
