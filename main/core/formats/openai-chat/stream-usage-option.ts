// OpenAI Chat streams report usage only when the request sets `stream_options.include_usage`. The ledger needs the
// figures, so the upstream request asks for them even when the client did not; the extra usage chunk is then taken
// out of what that client receives, so it sees exactly the stream it asked for.

/** The upstream body with include_usage set, and whether Switchyard added it (then the usage chunk is stripped). */
export function withStreamUsage(body: Record<string, unknown>): { body: Record<string, unknown>; added: boolean } {
  if (body.stream !== true) return { body, added: false };
  const options = typeof body.stream_options === 'object' && body.stream_options !== null ? (body.stream_options as Record<string, unknown>) : {};
  if (options.include_usage === true) return { body, added: false };
  return { body: { ...body, stream_options: { ...options, include_usage: true } }, added: true };
}

// An SSE event ends with a blank line: "\n\n", or "\n\r\n" from hosts that end lines with CRLF.
const eventEnds = [Buffer.from('\n\n'), Buffer.from('\n\r\n')];
const usageNeedle = Buffer.from('"usage"');
const dataPrefix = 'data:';

/** A usage-only chunk: `choices` empty and a usage object. Chunks that also carry choices are kept whole. */
function isUsageOnlyEvent(event: string): boolean {
  const data = event
    .split('\n')
    .filter((line) => line.startsWith(dataPrefix))
    .map((line) => line.slice(dataPrefix.length).trimStart())
    .join('\n');
  try {
    const parsed: unknown = JSON.parse(data);
    if (typeof parsed !== 'object' || parsed === null) return false;
    const chunk = parsed as { choices?: unknown; usage?: unknown };
    return Array.isArray(chunk.choices) && chunk.choices.length === 0 && typeof chunk.usage === 'object' && chunk.usage !== null;
  } catch {
    return false;
  }
}

/** Where the last complete event ends in `data` (-1 when none does); no allocation, it runs for every chunk. */
function lastEventEnd(data: Buffer): number {
  let boundary = -1;
  for (const end of eventEnds) {
    const found = data.lastIndexOf(end);
    if (found !== -1 && found + end.length > boundary) boundary = found + end.length;
  }
  return boundary;
}

export interface UsageChunkStripper {
  /** Client-bound bytes in -> the same bytes without the usage-only chunk (held back until an event is whole). */
  push(chunk: Buffer): Buffer;
  /** The stream ended: whatever was held back. */
  end(): Buffer;
}

/**
 * For a client that did not ask for include_usage. Events pass through unchanged except the usage-only chunk; only
 * an event that mentions "usage" is decoded. Bytes after the last event boundary wait for the rest of their event.
 */
export function createUsageChunkStripper(): UsageChunkStripper {
  let pending: Buffer | undefined;
  return {
    push(chunk) {
      const data = pending ? Buffer.concat([pending, chunk]) : chunk;
      const boundary = lastEventEnd(data);
      if (boundary === -1) {
        pending = Buffer.from(data);
        return Buffer.alloc(0);
      }
      const complete = data.subarray(0, boundary);
      pending = boundary < data.length ? Buffer.from(data.subarray(boundary)) : undefined;
      if (complete.indexOf(usageNeedle) === -1) return complete;
      const events = complete.toString('utf8').split(/(?<=\n\r?\n)/);
      return Buffer.from(events.filter((event) => !event.includes('"usage"') || !isUsageOnlyEvent(event)).join(''));
    },
    end() {
      const rest = pending ?? Buffer.alloc(0);
      pending = undefined;
      return rest;
    },
  };
}
