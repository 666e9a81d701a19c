// Reading how long an upstream wants us to wait (docs/wire-formats.md: retry-after-ms, retry-after, Gemini RetryInfo and "Please retry in Xs").
import { parseGoDuration } from '../../guard/go-duration.ts';

type Headers = Record<string, string | string[] | undefined>;

export function headerValue(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `retry-after-ms` first (OpenAI/Anthropic SDKs read it first), then `retry-after` in seconds or as an HTTP date. */
export function retryAfterFromHeaders(headers: Headers, now: number): number | undefined {
  const milliseconds = headerValue(headers, 'retry-after-ms');
  if (milliseconds !== undefined) {
    const value = Number.parseFloat(milliseconds);
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
  }
  const retryAfter = headerValue(headers, 'retry-after');
  if (retryAfter === undefined) return undefined;
  const seconds = Number.parseFloat(retryAfter);
  if (Number.isFinite(seconds) && /^\s*[\d.]+\s*$/.test(retryAfter)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(retryAfter);
  if (Number.isFinite(date)) return Math.max(0, date - now);
  return undefined;
}

/** Protobuf-JSON durations such as `"54s"`, `"0.847s"`, `"26.66s"`. */
export function parseProtobufDuration(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)s\s*$/.exec(text);
  return match ? Math.round(Number.parseFloat(match[1]!) * 1000) : undefined;
}

/** "Please retry in 54.88s", "try again in 20s", "retry after 1m30s", "Please try again in 120ms". */
export function retryDelayFromMessage(message: string): number | undefined {
  const match = /(?:retry|try again)\s+(?:in|after)\s+((?:\d+(?:\.\d+)?(?:ms|h|m|s))+)/i.exec(message);
  return match ? parseGoDuration(match[1]) : undefined;
}

/** The next midnight in America/Los_Angeles (when Gemini's per-day quotas reset), as epoch ms. */
export function nextPacificMidnight(now: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/Los_Angeles',
    hour12: false,
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(now));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const hours = get('hour') % 24;
  const sinceMidnight = ((hours * 60 + get('minute')) * 60 + get('second')) * 1000 + (now % 1000);
  return now - sinceMidnight + 24 * 3_600_000;
}
