// The JSON payloads of one upstream stream, parsed without re-parsing what repeats.
//
// A streamed answer is mostly the same payload over and over with one string changed: OpenAI Chat sends
// `{"id":"…","object":"chat.completion.chunk",…,"delta":{"content":"<text>"},…}` per chunk, Anthropic
// `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"<text>"}}`. Parsing each one is the
// largest single cost of translating a stream (docs/performance.md, "Lever 8"). A reader learns, from two
// consecutive payloads, the bytes around the one string that changed (or two: OpenAI adds a random `obfuscation`
// string to every chunk by default); a later payload made of exactly those bytes around valid string bodies is the
// learned value with those strings replaced, so it is not parsed again.
//
// Why that is exact: each learned stretch of bytes ends with a string's opening quote or starts with its closing
// quote. When the bytes between them form valid JSON string bodies, a parser reads every stretch exactly as it did
// before and each hole as one string: every other value is the same, and the text is valid JSON exactly when the
// learned one was. The holes are confirmed once, when they are learned, by parsing a probe with other strings in
// them and finding those strings, and only them, changed. Payloads that match nothing are parsed in full, as before,
// so an upstream with an unusual shape only misses the shortcut.
//
// The value returned is the reader's own object, reused for the next payload that matches: callers read it before
// the next call and keep no reference into it (the stream decoders build their events from its fields).

interface Slot {
  /** The object or array that holds a changing string, inside the learned value, and its key there. */
  holder: Record<string | number, unknown>;
  key: string | number;
}

/** The bytes up to the first hole's opening quote, between the holes (closing quote to opening quote), after the last. */
interface Holes extends Layout {
  first: Slot;
  second: Slot | undefined;
  value: unknown;
}

/** How many times one stream tries to learn its holes: shapes change a few times per stream (reasoning, text, tools). */
const maxLearnAttempts = 8;

export class StreamJsonReader {
  private holes: Holes | undefined;
  private previous: string | undefined;
  private attemptsLeft = maxLearnAttempts;

  /** `JSON.parse(text)`, or undefined when the text is not JSON. */
  parse(text: string): unknown {
    const holes = this.holes;
    if (holes !== undefined && this.fill(holes, text)) return holes.value;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return undefined;
    }
    const previous = this.previous;
    this.previous = text;
    if (previous !== undefined && this.attemptsLeft > 0 && typeof value === 'object' && value !== null) {
      this.attemptsLeft -= 1;
      const learned = learnHoles(previous, text, value);
      if (learned) this.holes = learned;
    }
    return value;
  }

  /** Writes the strings of `text` into the learned value when `text` has its shape; false (nothing written) if not. */
  private fill(holes: Holes, text: string): boolean {
    const read = this.read;
    if (!readHoles(holes, text, read)) return false;
    holes.first.holder[holes.first.key] = read.first;
    if (holes.second) holes.second.holder[holes.second.key] = read.second;
    return true;
  }

  private readonly read: HoleStrings = { first: '', second: '' };
}

interface Layout {
  prefix: string;
  middle: string | undefined;
  suffix: string;
}

interface HoleStrings {
  first: string;
  second: string;
}

/** Reads the strings in the holes of `layout` as `text` fills them into `into`; false when `text` has another shape. */
function readHoles(layout: Layout, text: string, into: HoleStrings): boolean {
  const { prefix, middle, suffix } = layout;
  const end = text.length - suffix.length;
  // Compared as slices: V8 compares two flat strings with memcmp, where startsWith can take ten times as long.
  if (end < prefix.length || text.slice(0, prefix.length) !== prefix || text.slice(end) !== suffix) return false;
  if (middle === undefined) {
    const only = stringBody(text.slice(prefix.length, end));
    if (only === undefined) return false;
    into.first = only;
    return true;
  }
  // The first hole ends at the first quote after the prefix: its body has no quote, and when that body is valid the
  // quote is not escaped.
  const close = text.indexOf('"', prefix.length);
  if (close === -1 || close + middle.length > end || text.slice(close, close + middle.length) !== middle) return false;
  const first = stringBody(text.slice(prefix.length, close));
  const second = first === undefined ? undefined : stringBody(text.slice(close + middle.length, end));
  if (first === undefined || second === undefined) return false;
  into.first = first;
  into.second = second;
  return true;
}

/** The string a JSON string body stands for (escapes decoded), or undefined when it is not a valid body. */
function stringBody(body: string): string | undefined {
  let plain = true;
  for (let index = 0; index < body.length; index += 1) {
    const code = body.charCodeAt(index);
    if (code === 0x22 || code === 0x5c || code < 0x20) {
      plain = false;
      break;
    }
  }
  if (plain) return body;
  try {
    const decoded: unknown = JSON.parse(`"${body}"`);
    return typeof decoded === 'string' ? decoded : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A string other than `avoid`, with nothing to escape. The two holes get different probes (x or y, z or w), so each
 * change found names its hole even where the walk does not follow the text's order (integer-like keys come first).
 */
const probeFor = (avoid: string, one: string, other: string) => (avoid === one ? other : one);

/** The holes in `text` (parsed as `value`) where it differs from `previous`, when they are one string or two. */
function learnHoles(previous: string, text: string, value: object): Holes | undefined {
  const shorter = Math.min(previous.length, text.length);
  let common = 0;
  while (common < shorter && previous.charCodeAt(common) === text.charCodeAt(common)) common += 1;
  if (common === text.length && common === previous.length) return undefined; // the same payload twice: nothing varies
  let tail = 0;
  while (tail < shorter - common && previous.charCodeAt(previous.length - 1 - tail) === text.charCodeAt(text.length - 1 - tail)) tail += 1;
  // The changed stretch, widened to quotes: from just after the last quote before it to the first quote after it.
  const start = text.lastIndexOf('"', common - 1) + 1;
  if (start === 0) return undefined;
  const end = text.indexOf('"', Math.max(start, text.length - tail));
  if (end === -1) return undefined;
  const prefix = text.slice(0, start);
  const suffix = text.slice(end);
  const close = text.indexOf('"', start);
  // Both payloads must have the shape found, or the holes are not what changed between them (no probe is spent).
  const seen: HoleStrings = { first: '', second: '' };
  if (close === end) {
    const decoded = stringBody(text.slice(start, end));
    if (decoded === undefined || !readHoles({ prefix, middle: undefined, suffix }, previous, seen)) return undefined;
    const probe = probeFor(decoded, 'x', 'y');
    const found = changedStrings(value, parseOrUndefined(`${prefix}${probe}${suffix}`));
    if (found?.length !== 1 || !confirms(found[0]!, decoded, probe)) return undefined;
    return { prefix, middle: undefined, suffix, first: found[0]!, second: undefined, value };
  }
  // Two strings changed: the first hole ends at its closing quote, the second starts after its opening quote.
  const open = text.lastIndexOf('"', end - 1) + 1;
  if (open <= close) return undefined;
  const middle = text.slice(close, open);
  const decodedFirst = stringBody(text.slice(start, close));
  const decodedSecond = stringBody(text.slice(open, end));
  if (decodedFirst === undefined || decodedSecond === undefined || !readHoles({ prefix, middle, suffix }, previous, seen)) return undefined;
  const probeFirst = probeFor(decodedFirst, 'x', 'y');
  const probeSecond = probeFor(decodedSecond, 'z', 'w');
  const found = changedStrings(value, parseOrUndefined(`${prefix}${probeFirst}${middle}${probeSecond}${suffix}`));
  if (found?.length !== 2) return undefined;
  const first = found.find((change) => change.now === probeFirst);
  const second = found.find((change) => change.now === probeSecond);
  if (!first || !second || !confirms(first, decodedFirst, probeFirst) || !confirms(second, decodedSecond, probeSecond)) return undefined;
  return { prefix, middle, suffix, first, second, value };
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

interface Change extends Slot {
  was: string;
  now: string;
}

/** The change is the expected one, in a slot that can be written (a `__proto__` key would set the prototype). */
const confirms = (change: Change, was: string, now: string) => change.key !== '__proto__' && change.was === was && change.now === now;

/**
 * Two parses of nearly the same text, walked together: the string leaves that differ (at most two), or undefined when
 * anything else differs.
 */
function changedStrings(was: unknown, now: unknown): Change[] | undefined {
  const changes: Change[] = [];
  return walk(changes, was, now) ? changes : undefined;
}

function walk(changes: Change[], was: unknown, now: unknown): boolean {
  if (typeof was !== 'object' || was === null || typeof now !== 'object' || now === null || Array.isArray(was) !== Array.isArray(now)) return false;
  const list = Array.isArray(was);
  const wasRecord = was as Record<string | number, unknown>;
  const nowRecord = now as Record<string | number, unknown>;
  const wasKeys = Object.keys(wasRecord);
  const nowKeys = Object.keys(nowRecord);
  if (wasKeys.length !== nowKeys.length) return false;
  for (let index = 0; index < wasKeys.length; index += 1) {
    const name = wasKeys[index]!;
    if (nowKeys[index] !== name) return false;
    const before = wasRecord[name];
    const after = nowRecord[name];
    if (typeof before === 'string' && typeof after === 'string') {
      if (before === after) continue;
      if (changes.length === 2) return false;
      changes.push({ holder: wasRecord, key: list ? index : name, was: before, now: after });
    } else if (typeof before === 'object' && before !== null) {
      if (!walk(changes, before, after)) return false;
    } else if (!Object.is(before, after)) {
      return false;
    }
  }
  return true;
}
