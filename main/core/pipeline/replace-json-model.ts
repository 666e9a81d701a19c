// Same-format passthrough sends the client's bytes upstream unchanged except the model name (docs/architecture.md,
// The request path). Re-serialising the parsed body would reorder nothing but could still change bytes (number formatting,
// escapes, whitespace) and costs time, so the top-level "model" string is spliced in place instead.

import { isJsonSpace as isSpace, jsonByte, stringEnd } from '../formats/json-bytes.ts';

const { quote: QUOTE, openBrace: OPEN_BRACE, closeBrace: CLOSE_BRACE, openBracket: OPEN_BRACKET, closeBracket: CLOSE_BRACKET, comma: COMMA, colon: COLON } = jsonByte;

/** Index just past the closing quote of the string starting at `start` (which holds the opening quote). */
function skipString(bytes: Buffer, start: number): number {
  const end = stringEnd(bytes, start);
  if (end === -1) throw new SyntaxError('unterminated string');
  return end;
}

/** Index just past the JSON value starting at `start`. */
function skipValue(bytes: Buffer, start: number): number {
  const first = bytes[start];
  if (first === QUOTE) return skipString(bytes, start);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    let index = start;
    while (index < bytes.length) {
      const byte = bytes[index]!;
      if (byte === QUOTE) {
        index = skipString(bytes, index);
        continue;
      }
      if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth += 1;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        depth -= 1;
        if (depth === 0) return index + 1;
      }
      index += 1;
    }
    throw new SyntaxError('unterminated container');
  }
  let index = start;
  while (index < bytes.length) {
    const byte = bytes[index]!;
    if (byte === COMMA || byte === CLOSE_BRACE || isSpace(byte)) break;
    index += 1;
  }
  return index;
}

function skipSpace(bytes: Buffer, index: number): number {
  while (isSpace(bytes[index])) index += 1;
  return index;
}

/** [start, end) byte ranges of every top-level "model" string value. */
export function findTopLevelModelSpans(bytes: Buffer): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let index = skipSpace(bytes, 0);
  if (bytes[index] !== OPEN_BRACE) throw new SyntaxError('not a JSON object');
  index = skipSpace(bytes, index + 1);
  if (bytes[index] === CLOSE_BRACE) return spans;
  for (;;) {
    if (bytes[index] !== QUOTE) throw new SyntaxError('expected a key');
    const keyEnd = skipString(bytes, index);
    const rawKey = bytes.toString('latin1', index + 1, keyEnd - 1);
    const key = rawKey.includes('\\') ? (JSON.parse(bytes.toString('utf8', index, keyEnd)) as string) : rawKey;
    index = skipSpace(bytes, keyEnd);
    if (bytes[index] !== COLON) throw new SyntaxError('expected ":"');
    index = skipSpace(bytes, index + 1);
    const valueEnd = skipValue(bytes, index);
    if (key === 'model' && bytes[index] === QUOTE) spans.push([index, valueEnd]);
    index = skipSpace(bytes, valueEnd);
    if (bytes[index] === COMMA) {
      index = skipSpace(bytes, index + 1);
      continue;
    }
    if (bytes[index] === CLOSE_BRACE) return spans;
    throw new SyntaxError('expected "," or "}"');
  }
}

/** The body with every top-level "model" value replaced by `model`; all other bytes untouched. */
export function replaceJsonModel(bytes: Buffer, model: string): Buffer {
  const spans = findTopLevelModelSpans(bytes);
  if (spans.length === 0) return bytes;
  const replacement = Buffer.from(JSON.stringify(model));
  const parts: Buffer[] = [];
  let cursor = 0;
  for (const [start, end] of spans) {
    parts.push(bytes.subarray(cursor, start), replacement);
    cursor = end;
  }
  parts.push(bytes.subarray(cursor));
  return Buffer.concat(parts);
}
