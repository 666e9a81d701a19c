/**
 * Nesting deeper than this in a request body is refused with a 400 before the body is parsed. Real requests nest a
 * few dozen levels at most (tool schemas included); thousands of levels only overflow the stack of whatever walks
 * the value later (translation, schema reduction, token estimates).
 */
export const maxJsonDepth = 256;

const openBrace = 0x7b;
const openBracket = 0x5b;
const closeBrace = 0x7d;
const closeBracket = 0x5d;
const quote = 0x22;
const backslash = 0x5c;

/** Whether the quote at `at` is escaped: an odd number of backslashes right before it. */
function escaped(body: Uint8Array, at: number): boolean {
  let count = 0;
  for (let before = at - 1; before >= 0 && body[before] === backslash; before--) count++;
  return count % 2 === 1;
}

/** Whether the JSON text nests objects/arrays more than `limit` deep. One pass over the bytes, strings skipped. */
export function nestsDeeperThan(body: Uint8Array, limit: number = maxJsonDepth): boolean {
  // A body shorter than twice the limit cannot open `limit` levels and close them.
  if (body.length <= limit) return false;
  let depth = 0;
  for (let index = 0; index < body.length; index++) {
    const byte = body[index];
    if (byte === quote) {
      // Strings are most of a real body (prompts): jump to their end with the native search.
      let end = body.indexOf(quote, index + 1);
      while (end !== -1 && escaped(body, end)) end = body.indexOf(quote, end + 1);
      if (end === -1) return false;
      index = end;
    } else if (byte === openBrace || byte === openBracket) {
      if (++depth > limit) return true;
    } else if (byte === closeBrace || byte === closeBracket) depth--;
  }
  return false;
}
