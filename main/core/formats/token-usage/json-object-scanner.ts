// Finds every `"<key>": {...}` object in a byte stream without decoding the stream: the key is searched as a byte
// needle, and only the bytes of a matching object are turned into a string for the caller to parse. Inside JSON
// strings quotes are escaped, so the needle (with its unescaped quotes) cannot match text a model wrote.

import { isJsonSpace, jsonByte, objectEnd } from '../json-bytes.ts';

const { openBrace } = jsonByte;

/** Objects bigger than this are not usage reports; they are skipped instead of buffered without end. */
const maxObjectBytes = 64 * 1024;

export interface JsonObjectScanner {
  push(chunk: Buffer): void;
}

export function createJsonObjectScanner(key: string, onObject: (json: string) => void): JsonObjectScanner {
  const needle = Buffer.from(`"${key}":`);
  /** The last needle-length-minus-one bytes, to notice a needle split across two chunks. */
  let tail: Buffer = Buffer.alloc(0);
  /** An object that had begun but not ended in the bytes seen so far (rare: usage reports are small). */
  let partial: Buffer | undefined;

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
    const keep = Math.min(needle.length - 1, data.length);
    tail = Buffer.from(data.subarray(data.length - keep));
  }

  return {
    push(chunk) {
      if (partial !== undefined) {
        const pending = partial;
        partial = undefined;
        scan(Buffer.concat([pending, chunk]));
        return;
      }
      // Only a needle that straddles the boundary needs the chunks joined; the common case scans the chunk alone.
      const previous = tail;
      const straddles = previous.length > 0 && Buffer.concat([previous, chunk.subarray(0, needle.length - 1)]).indexOf(needle) !== -1;
      scan(straddles ? Buffer.concat([previous, chunk]) : chunk);
      // A chunk shorter than the needle: the tail is the end of the previous bytes and this chunk together.
      if (!straddles && partial === undefined && chunk.length < needle.length - 1) {
        const joined = Buffer.concat([previous, chunk]);
        tail = Buffer.from(joined.subarray(Math.max(0, joined.length - (needle.length - 1))));
      }
    },
  };
}
