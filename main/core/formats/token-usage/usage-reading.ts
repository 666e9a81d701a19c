// How a wire format reports the tokens an answer used, read from what the upstream sent (docs/usage.md).
// Each format folder has its own reader (read-usage.ts) and exposes it as the `usage` member of its codec.
import type { CanonicalUsage } from '../canonical/canonical-response.ts';

/** Reads usage from a streamed answer chunk by chunk. Cheap on the hot path: most chunks are only searched as bytes. */
export interface StreamUsageReader {
  /** One chunk of the upstream body, exactly as received (events may be split anywhere). */
  push(chunk: Buffer): void;
  /** What the upstream had reported so far; usable at any time, so an aborted stream still yields what arrived. */
  usage(): CanonicalUsage | undefined;
  /**
   * False while the output count so far may be only an opening placeholder (Anthropic: `message_start` says 1 before
   * anything is generated; the real count comes in `message_delta`). Absent: every output count reported is real.
   */
  outputFinal?(): boolean;
}

export interface UsageReading {
  /** Usage of a complete (non-streamed) answer body, already parsed from JSON. */
  fromBody(body: unknown): CanonicalUsage | undefined;
  createStreamReader(): StreamUsageReader;
}
