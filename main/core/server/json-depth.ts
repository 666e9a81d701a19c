import { jsonByte, stringEnd } from '../formats/json-bytes.ts';

/**
 * Nesting deeper than this in a request body is refused with a 400 before the body is parsed. Real requests nest a
 * few dozen levels at most (tool schemas included); thousands of levels only overflow the stack of whatever walks
 * the value later (translation, schema reduction, token estimates).
 */
export const maxJsonDepth = 256;

const { openBrace, openBracket, closeBrace, closeBracket, quote } = jsonByte;

/** Whether the JSON text nests objects/arrays more than `limit` deep. One pass over the bytes, strings skipped. */
export function nestsDeeperThan(body: Uint8Array, limit: number = maxJsonDepth): boolean {
  // Opening more than `limit` levels takes more than `limit` bytes.
  if (body.length <= limit) return false;
  let depth = 0;
  for (let index = 0; index < body.length; index++) {
    const byte = body[index];
    if (byte === quote) {
      const end = stringEnd(body, index);
      if (end === -1) return false;
      index = end - 1;
    } else if (byte === openBrace || byte === openBracket) {
      if (++depth > limit) return true;
    } else if (byte === closeBrace || byte === closeBracket) depth--;
  }
  return false;
}
