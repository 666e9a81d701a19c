/** What a fake upstream answers to one request. Tests script these per request. */
export type FakeReply =
  /** A text answer, streamed in `chunks` pieces when the client asked to stream. */
  | { kind: 'text'; text?: string; chunks?: number; chunkDelayMs?: number; usage?: FakeUsage }
  /** One or more tool calls (parallel when several). */
  | { kind: 'tool'; calls: Array<{ name: string; input: Record<string, unknown>; id?: string }>; text?: string; usage?: FakeUsage }
  /** An HTTP error with the provider's own error body (built from `message` unless `body` is given). */
  | { kind: 'error'; status: number; message?: string; type?: string; body?: unknown; headers?: Record<string, string> }
  /** Anything at all: status, headers and body chunks written as given. */
  | { kind: 'raw'; status: number; headers?: Record<string, string>; chunks: string[]; chunkDelayMs?: number }
  /** Sends the headers and `afterChunks` text chunks, then destroys the connection (an upstream dying mid-stream). */
  | { kind: 'break-mid-stream'; afterChunks: number }
  /** Never answers (until the client gives up or the server closes). */
  | { kind: 'hang' };

export interface FakeUsage {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
}

export const defaultText = 'Hello from the fake upstream.';
export const defaultUsage: FakeUsage = { input: 12, output: 7 };

/** Splits text into `count` pieces of roughly equal size (never empty pieces unless the text is shorter). */
export function splitText(text: string, count: number): string[] {
  const pieces = Math.max(1, Math.min(count, text.length));
  const size = Math.ceil(text.length / pieces);
  const parts: string[] = [];
  for (let index = 0; index < text.length; index += size) parts.push(text.slice(index, index + size));
  return parts;
}

export function sse(data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}
