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

/** Needles by key: one Buffer per key for the process, not one per stream. */
const needles = new Map<string, Buffer>();

/**
 * A class rather than a closure: one scanner runs per recorded stream, and its methods then live on the prototype
 * instead of being four new functions per stream.
 */
class ObjectScanner implements JsonObjectScanner {
  private readonly needle: Buffer;
  private readonly keep: number;
  private readonly onObject: (json: string) => void;
  /** The last `tailLength` (at most needle-length-minus-one) bytes seen, to notice a needle split across two chunks. */
  private tail: Buffer | undefined;
  private tailLength = 0;
  /** An object that had begun but not ended in the bytes seen so far (rare: usage reports are small). */
  private partial: Buffer | undefined;

  constructor(key: string, onObject: (json: string) => void) {
    let needle = needles.get(key);
    if (!needle) needles.set(key, (needle = Buffer.from(`"${key}":`)));
    this.needle = needle;
    this.keep = needle.length - 1;
    this.onObject = onObject;
  }

  push(chunk: Buffer): void {
    if (this.partial !== undefined) {
      const pending = this.partial;
      this.partial = undefined;
      this.tailLength = 0;
      this.scan(Buffer.concat([pending, chunk]));
      return;
    }
    if (this.tailLength > 0 && this.straddles(chunk)) {
      const joined = Buffer.alloc(this.tailLength + chunk.length);
      this.tail!.copy(joined, 0, 0, this.tailLength);
      chunk.copy(joined, this.tailLength);
      this.tailLength = 0;
      this.scan(joined);
      return;
    }
    this.scan(chunk);
  }

  /** Whether the tail and the start of `chunk` hold a needle that begins in the tail. */
  private straddles(chunk: Buffer): boolean {
    const { needle, tail, tailLength } = this;
    for (let inTail = Math.min(tailLength, this.keep); inTail >= 1; inTail--) {
      const rest = needle.length - inTail;
      if (chunk.length < rest) continue;
      if (tail!.compare(needle, 0, inTail, tailLength - inTail, tailLength) !== 0) continue;
      if (chunk.compare(needle, inTail, needle.length, 0, rest) === 0) return true;
    }
    return false;
  }

  /** Keeps the last bytes of `data` (the bytes before it, when it is shorter than the tail, stay in front). */
  private keepTail(data: Buffer): void {
    const keep = this.keep;
    const tail = (this.tail ??= Buffer.allocUnsafe(keep)); // a slice of Node's shared pool, written before it is read
    if (data.length >= keep) {
      data.copy(tail, 0, data.length - keep);
      this.tailLength = keep;
      return;
    }
    const fromBefore = Math.min(this.tailLength, keep - data.length);
    tail.copyWithin(0, this.tailLength - fromBefore, this.tailLength);
    data.copy(tail, fromBefore);
    this.tailLength = fromBefore + data.length;
  }

  private scan(data: Buffer): void {
    const needle = this.needle;
    let position = 0;
    for (;;) {
      const found = data.indexOf(needle, position);
      if (found === -1) break;
      let start = found + needle.length;
      while (start < data.length && isJsonSpace(data[start])) start++;
      if (start === data.length) {
        this.partial = Buffer.from(data.subarray(found));
        return;
      }
      if (data[start] !== openBrace) {
        position = start; // `null` or another value: nothing to report
        continue;
      }
      const end = objectEnd(data, start);
      if (end === -1) {
        this.partial = data.length - found <= maxObjectBytes ? Buffer.from(data.subarray(found)) : undefined;
        return;
      }
      this.onObject(data.toString('utf8', start, end));
      position = end;
    }
    this.keepTail(data);
  }
}

export function createJsonObjectScanner(key: string, onObject: (json: string) => void): JsonObjectScanner {
  return new ObjectScanner(key, onObject);
}
