// A Gemini image answer as OpenAI's images answer, cut out of the upstream's bytes: each `inlineData` part's base64
// `data` is written to the client as a slice of the buffer Gemini's answer arrived in, never decoded, parsed into a
// string or copied (an image is megabytes; the answer is held once). Gemini answers images as
// {candidates:[{content:{parts:[{text}|{inlineData:{mimeType,data}}]}, finishReason}], usageMetadata}.
import { isJsonSpace, jsonByte, objectEnd, stringEnd } from '../json-bytes.ts';

export interface InlineImage {
  mimeType: string;
  /** Offsets of the base64 text (without its quotes) in the answer. */
  start: number;
  end: number;
}

const inlineNeedles = [Buffer.from('"inlineData"'), Buffer.from('"inline_data"')];
const dataNeedle = Buffer.from('"data"');
const mimeNeedles = [Buffer.from('"mimeType"'), Buffer.from('"mime_type"')];

/** The string value of `"key": "..."` whose key starts at `at`, as offsets of its text, or undefined. */
function stringValueAfter(bytes: Buffer, at: number, keyLength: number, limit: number): { start: number; end: number } | undefined {
  let index = at + keyLength;
  while (isJsonSpace(bytes[index])) index++;
  if (bytes[index] !== jsonByte.colon) return undefined;
  index++;
  while (isJsonSpace(bytes[index])) index++;
  if (bytes[index] !== jsonByte.quote) return undefined;
  const end = stringEnd(bytes, index);
  if (end === -1 || end > limit) return undefined;
  return { start: index + 1, end: end - 1 };
}

function findKey(bytes: Buffer, needles: readonly Buffer[], from: number, limit: number): { at: number; length: number } | undefined {
  let best: { at: number; length: number } | undefined;
  for (const needle of needles) {
    const at = bytes.indexOf(needle, from);
    if (at !== -1 && at < limit && (!best || at < best.at)) best = { at, length: needle.length };
  }
  return best;
}

/** Every inline image of the answer, in order. Base64 has no characters JSON escapes, so the slice is the value. */
export function findInlineImages(bytes: Buffer): InlineImage[] {
  const images: InlineImage[] = [];
  let from = 0;
  for (;;) {
    const key = findKey(bytes, inlineNeedles, from, bytes.length);
    if (!key) return images;
    let open = key.at + key.length;
    while (isJsonSpace(bytes[open]) || bytes[open] === jsonByte.colon) open++;
    const close = bytes[open] === jsonByte.openBrace ? objectEnd(bytes, open) : -1;
    if (close === -1) return images;
    const data = findKey(bytes, [dataNeedle], open, close);
    const value = data ? stringValueAfter(bytes, data.at, data.length, close) : undefined;
    const mime = findKey(bytes, mimeNeedles, open, close);
    const mimeValue = mime ? stringValueAfter(bytes, mime.at, mime.length, close) : undefined;
    if (value && value.end > value.start && !bytes.subarray(value.start, value.end).includes(jsonByte.backslash)) {
      images.push({ mimeType: mimeValue ? bytes.toString('utf8', mimeValue.start, mimeValue.end) : 'image/png', ...value });
    }
    from = close;
  }
}

/**
 * OpenAI's answer {created, data:[{b64_json}|{url}], output_format} as pieces of bytes: the images themselves are
 * slices of `bytes`. A `url` answer is a data: URL (Gemini returns no hosted image to link to).
 */
export function openaiImagesAnswer(bytes: Buffer, images: readonly InlineImage[], options: { responseFormat?: 'url' | 'b64_json'; created: number }): Buffer[] {
  const pieces: Buffer[] = [Buffer.from(`{"created":${options.created},"data":[`)];
  images.forEach((image, index) => {
    const opening = options.responseFormat === 'url' ? `{"url":"data:${image.mimeType};base64,` : '{"b64_json":"';
    pieces.push(Buffer.from(`${index > 0 ? ',' : ''}${opening}`), bytes.subarray(image.start, image.end), Buffer.from('"}'));
  });
  const format = images[0]?.mimeType.replace(/^image\//, '') ?? 'png';
  pieces.push(Buffer.from(`],"output_format":${JSON.stringify(format)}}`));
  return pieces;
}
