// The JSON payloads of one upstream stream, parsed without re-parsing what repeats.
//
// A streamed answer is mostly the same payload over and over with a few values changed: OpenAI Chat sends
// `{"id":"…","object":"chat.completion.chunk",…,"delta":{"content":"<text>"},…}` per chunk (with a random
// `obfuscation` string unless the request turns it off), Anthropic
// `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"<text>"}}`, Responses events a
// `sequence_number` besides the text, Gemini sometimes growing token counts. Parsing each one is the largest single
// cost of translating a stream (docs/performance.md, "Lever 8"). A reader learns, from two consecutive payloads, the
// bytes around the values that changed (strings and numbers, up to eight); a later payload made of exactly those
// bytes around valid values is the learned value with those values replaced, so it is not parsed again.
//
// Why that is exact: the learned stretches of bytes are the same tokens as before, and each hole holds one token of
// the same kind (a string body, or a number). A parser reads every stretch exactly as it did before and each hole as
// one value: every other value is the same, and the text is valid JSON exactly when the learned one was. The holes
// are confirmed once, when they are learned, by parsing a probe with other values in them and finding those values,
// and only them, changed. Payloads that match nothing are parsed in full, as before, so an upstream with an unusual
// shape only misses the shortcut.
//
// The value returned is the reader's own object, reused for the next payload that matches: callers read it before
// the next call and keep no reference into it (the stream decoders build their events from its fields).

interface Slot {
  /** The object or array that holds a changing value, inside the learned value, and its key there. */
  holder: Record<string | number, unknown>;
  key: string | number;
}

type HoleKind = 'string' | 'number';

interface Template {
  /** The bytes around the holes: `segments[k]` comes before hole k, the last one after the last hole. */
  segments: string[];
  kinds: HoleKind[];
  slots: Slot[];
  value: unknown;
}

/** How many times one stream tries to learn (shapes change a few times per stream: reasoning, text, tools). */
const maxLearnAttempts = 8;
/** Of those, how many may tokenize both payloads (the slower way, for more than two holes or numbers). */
const maxTokenAttempts = 4;
const maxHoles = 8;
/** How long a start two payloads must share before the tokenizing learner looks at them. */
const minCommonStart = 24;

export class StreamJsonReader {
  private template: Template | undefined;
  private previous: string | undefined;
  private attemptsLeft = maxLearnAttempts;
  private tokenAttemptsLeft = maxTokenAttempts;
  /** The values read from a payload, written into the template only once all of them are valid. */
  private readonly values: unknown[] = [];

  /** `JSON.parse(text)`, or undefined when the text is not JSON. */
  parse(text: string): unknown {
    const template = this.template;
    if (template !== undefined) {
      if (template.kinds.length === 1 && template.kinds[0] === 'string') {
        // The common case (one string changes: Anthropic, Gemini, most OpenAI-compatible servers), spelled out.
        const prefix = template.segments[0]!;
        const suffix = template.segments[1]!;
        const end = text.length - suffix.length;
        if (end >= prefix.length && text.slice(0, prefix.length) === prefix && text.slice(end) === suffix) {
          const only = stringBody(text.slice(prefix.length, end));
          if (only !== undefined) {
            template.slots[0]!.holder[template.slots[0]!.key] = only;
            return template.value;
          }
        }
      } else if (readHoles(template, text, this.values)) {
        const { slots, value } = template;
        for (let index = 0; index < slots.length; index += 1) slots[index]!.holder[slots[index]!.key] = this.values[index];
        return value;
      }
    }
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
      const common = commonStart(previous, text);
      let learned = learnFromEnds(previous, text, common, value);
      // Payloads of one kind share a long start (an id, a model, an event type); two that differ early, such as
      // `response.created` and `response.in_progress`, are not worth tokenizing.
      if (learned === undefined && common >= minCommonStart && this.tokenAttemptsLeft > 0 && sameQuoteCount(previous, text)) {
        this.tokenAttemptsLeft -= 1;
        learned = learnFromTokens(previous, text, value);
      }
      if (learned) this.template = learned;
    }
    return value;
  }
}

/**
 * Reads the hole values of `text` into `into` when `text` is the template's segments around valid values; false when
 * it has another shape. Segments are compared as slices: V8 compares two flat strings with memcmp, where startsWith
 * can take ten times as long.
 */
function readHoles(template: { segments: string[]; kinds: HoleKind[] }, text: string, into: unknown[]): boolean {
  const { segments, kinds } = template;
  const first = segments[0]!;
  if (text.length < first.length || text.slice(0, first.length) !== first) return false;
  let at = first.length;
  for (let hole = 0; hole < kinds.length; hole += 1) {
    const segment = segments[hole + 1]!;
    let end: number;
    let value: unknown;
    if (kinds[hole] === 'string') {
      end = closingQuote(text, at);
      if (end === -1) return false;
      value = stringBody(text.slice(at, end));
    } else {
      end = at;
      while (end < text.length && isNumberCharacter(text.charCodeAt(end))) end += 1;
      value = numberToken(text.slice(at, end));
    }
    if (value === undefined || text.slice(end, end + segment.length) !== segment) return false;
    into[hole] = value;
    at = end + segment.length;
  }
  return at === text.length;
}

/** The first unescaped quote at or after `from` (a string body starts at `from`), or -1. */
function closingQuote(text: string, from: number): number {
  let quote = text.indexOf('"', from);
  while (quote !== -1) {
    let backslashes = 0;
    while (quote - 1 - backslashes >= from && text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return -1;
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

const isNumberCharacter = (code: number) => (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x2b || code === 0x2e || code === 0x65 || code === 0x45;
const jsonNumber = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** The number a JSON number token stands for, or undefined when it is not one (JSON's grammar, not Number's). */
function numberToken(token: string): number | undefined {
  // Counters and token counts are small non-negative integers: read those without the regular expression.
  const length = token.length;
  if (length > 0 && length < 10 && (length === 1 || token.charCodeAt(0) !== 0x30)) {
    let value = 0;
    let index = 0;
    for (; index < length; index += 1) {
      const digit = token.charCodeAt(index) - 0x30;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
    }
    if (index === length) return value;
  }
  return jsonNumber.test(token) ? Number(token) : undefined;
}

/** The same count of quote characters: two payloads of one shape (escaped quotes aside) have it; a cheap filter. */
function sameQuoteCount(a: string, b: string): boolean {
  let left = 0;
  let right = 0;
  for (let at = a.indexOf('"'); at !== -1; at = a.indexOf('"', at + 1)) left += 1;
  for (let at = b.indexOf('"'); at !== -1; at = b.indexOf('"', at + 1)) right += 1;
  return left === right;
}

/** How many characters two texts share from their start. */
function commonStart(a: string, b: string): number {
  const shorter = Math.min(a.length, b.length);
  let common = 0;
  while (common < shorter && a.charCodeAt(common) === b.charCodeAt(common)) common += 1;
  return common;
}

/**
 * The quick way: where `text` differs from `previous` between their common start and common end, when that is inside
 * one string or two (the text, and OpenAI's obfuscation string at the end).
 */
function learnFromEnds(previous: string, text: string, common: number, value: object): Template | undefined {
  const shorter = Math.min(previous.length, text.length);
  if (common === text.length && common === previous.length) return undefined; // the same payload twice: nothing varies
  let tail = 0;
  while (tail < shorter - common && previous.charCodeAt(previous.length - 1 - tail) === text.charCodeAt(text.length - 1 - tail)) tail += 1;
  // The changed stretch, widened to quotes: from just after the last quote before it to the first quote after it.
  const start = text.lastIndexOf('"', common - 1) + 1;
  if (start === 0) return undefined;
  const end = text.indexOf('"', Math.max(start, text.length - tail));
  if (end === -1) return undefined;
  const close = text.indexOf('"', start);
  const open = close === end ? end : text.lastIndexOf('"', end - 1) + 1;
  if (open <= close && close !== end) return undefined;
  const segments = close === end ? [text.slice(0, start), text.slice(end)] : [text.slice(0, start), text.slice(close, open), text.slice(end)];
  const kinds: HoleKind[] = close === end ? ['string'] : ['string', 'string'];
  return confirmed(segments, kinds, previous, text, value);
}

/** One token of a JSON text, as the learner's lexer reads it (reused: the learner allocates no token objects). */
interface Cursor {
  at: number;
  start: number;
  end: number;
  kind: HoleKind | 'other';
  /** A string followed by a colon: an object key, never a hole. */
  key: boolean;
}

const newCursor = (): Cursor => ({ at: 0, start: 0, end: 0, kind: 'other', key: false });

/**
 * Reads the next token of `text` from `cursor.at` into the cursor; false at the end or on anything unexpected (this
 * runs only to learn, at most a few times per stream, on text JSON.parse has already accepted).
 */
function nextToken(text: string, cursor: Cursor): boolean {
  let at = cursor.at;
  while (at < text.length && isWhitespace(text.charCodeAt(at))) at += 1;
  if (at >= text.length) return false;
  const code = text.charCodeAt(at);
  let end: number;
  let kind: Cursor['kind'] = 'other';
  if (code === 0x22) {
    end = closingQuote(text, at + 1);
    if (end === -1) return false;
    end += 1;
    kind = 'string';
  } else if (code === 0x2d || (code >= 0x30 && code <= 0x39)) {
    end = at;
    while (end < text.length && isNumberCharacter(text.charCodeAt(end))) end += 1;
    kind = 'number';
  } else if (text.startsWith('true', at) || text.startsWith('null', at)) {
    end = at + 4;
  } else if (text.startsWith('false', at)) {
    end = at + 5;
  } else {
    end = at + 1;
  }
  let key = false;
  if (kind === 'string') {
    let after = end;
    while (after < text.length && isWhitespace(text.charCodeAt(after))) after += 1;
    key = text.charCodeAt(after) === 0x3a;
  }
  cursor.start = at;
  cursor.end = end;
  cursor.kind = kind;
  cursor.key = key;
  cursor.at = end;
  return true;
}

const isWhitespace = (code: number) => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

/**
 * The slower way: both payloads read token by token side by side; they must be the same tokens but for some string or
 * number values (not keys), which become the holes. Stops at the first other difference.
 */
function learnFromTokens(previous: string, text: string, value: object): Template | undefined {
  const before = newCursor();
  const after = newCursor();
  const segments: string[] = [];
  const kinds: HoleKind[] = [];
  let segmentStart = 0;
  for (;;) {
    const more = nextToken(previous, before);
    if (more !== nextToken(text, after)) return undefined;
    if (!more) break;
    if (before.kind !== after.kind || before.key !== after.key) return undefined;
    const length = after.end - after.start;
    if (before.end - before.start === length && previous.startsWith(text.slice(after.start, after.end), before.start)) continue;
    if (after.kind === 'other' || after.key || kinds.length === maxHoles) return undefined;
    // A string hole is the body between the quotes; a number hole the whole token.
    const holeStart = after.kind === 'string' ? after.start + 1 : after.start;
    segments.push(text.slice(segmentStart, holeStart));
    kinds.push(after.kind);
    segmentStart = after.kind === 'string' ? after.end - 1 : after.end;
  }
  if (kinds.length === 0 || after.at < text.length || before.at < previous.length) return undefined;
  segments.push(text.slice(segmentStart));
  return confirmed(segments, kinds, previous, text, value);
}

/**
 * The template, once both payloads read as it and a probe confirms each hole: the probe puts other values in the
 * holes (distinct per hole), is parsed, and exactly those values must have changed, each from what `text` holds.
 */
function confirmed(segments: string[], kinds: HoleKind[], previous: string, text: string, value: object): Template | undefined {
  const seen: unknown[] = [];
  const current: unknown[] = [];
  // Both payloads must have the shape found, or the holes are not what changed between them (no probe is spent).
  if (!readHoles({ segments, kinds }, previous, seen) || !readHoles({ segments, kinds }, text, current)) return undefined;
  const probes = kinds.map((kind, index) => probeFor(kind, index, current[index]));
  let probeText = segments[0]!;
  for (let index = 0; index < kinds.length; index += 1) probeText += `${String(probes[index])}${segments[index + 1]!}`;
  let probed: unknown;
  try {
    probed = JSON.parse(probeText);
  } catch {
    return undefined;
  }
  const changes: Change[] = [];
  if (!walk(changes, value, probed, kinds.length) || changes.length !== kinds.length) return undefined;
  const slots: Slot[] = [];
  for (let index = 0; index < kinds.length; index += 1) {
    const change = changes.find((candidate) => Object.is(candidate.now, probes[index]));
    if (!change || change.key === '__proto__' || !Object.is(change.was, current[index])) return undefined;
    slots.push({ holder: change.holder, key: change.key });
  }
  return { segments, kinds, slots, value };
}

/**
 * A value for hole `index` that is none of the other probes and not what the hole holds now, with nothing to escape:
 * "p0", "p1", … for strings, 777000, 777001, … for numbers (the next one up if it equals the current value).
 */
function probeFor(kind: HoleKind, index: number, current: unknown): string | number {
  if (kind === 'string') return current === `p${index}` ? `q${index}` : `p${index}`;
  return current === 777_000 + index ? 778_000 + index : 777_000 + index;
}

interface Change extends Slot {
  was: unknown;
  now: unknown;
}

/**
 * Two parses of nearly the same text, walked together: collects the string and number leaves that differ (at most
 * `limit`); false when anything else differs.
 */
function walk(changes: Change[], was: unknown, now: unknown, limit: number): boolean {
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
    if (typeof before === 'object' && before !== null) {
      if (!walk(changes, before, after, limit)) return false;
    } else if (!Object.is(before, after)) {
      const leaf = (typeof before === 'string' && typeof after === 'string') || (typeof before === 'number' && typeof after === 'number');
      if (!leaf || changes.length === limit) return false;
      changes.push({ holder: wasRecord, key: list ? index : name, was: before, now: after });
    }
  }
  return true;
}
