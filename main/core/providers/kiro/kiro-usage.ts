import type { CanonicalUsage } from '../../formats/canonical/canonical-response.ts';
import { isRecord, numberOr } from '../../formats/canonical/json-values.ts';
import type { UsageReading } from '../../formats/token-usage/usage-reading.ts';
import { FrameReader, headerText } from './event-stream-frames.ts';

// Token counts in a CodeWhisperer answer (observed, the field set varies): a messageMetadataEvent / metadataEvent with
// `tokenUsage` {inputTokens or uncachedInputTokens, outputTokens, cacheReadInputTokens, cacheWriteInputTokens}, or
// a metricsEvent with inputTokens / outputTokens. meteringEvent reports Kiro credits, not tokens: the ledger estimates
// tokens from the text when no event gave counts.

function tokensOf(record: Record<string, unknown>): CanonicalUsage | undefined {
  const usage: CanonicalUsage = {};
  const cacheRead = numberOr(record.cacheReadInputTokens);
  const cacheWrite = numberOr(record.cacheWriteInputTokens);
  const uncached = numberOr(record.uncachedInputTokens);
  const input = numberOr(record.inputTokens) ?? (uncached !== undefined ? uncached + (cacheRead ?? 0) + (cacheWrite ?? 0) : undefined);
  const output = numberOr(record.outputTokens);
  if (input !== undefined) usage.inputTokens = input;
  if (output !== undefined) usage.outputTokens = output;
  if (cacheRead !== undefined) usage.cacheReadTokens = cacheRead;
  if (cacheWrite !== undefined) usage.cacheWriteTokens = cacheWrite;
  return Object.keys(usage).length > 0 ? usage : undefined;
}

/** The tokens one answer event reports, if it is one that reports them. */
export function kiroUsageFromEvent(eventType: string | undefined, body: Record<string, unknown>): CanonicalUsage | undefined {
  switch (eventType) {
    case 'messageMetadataEvent':
    case 'metadataEvent':
      return tokensOf(isRecord(body.tokenUsage) ? body.tokenUsage : body);
    case 'metricsEvent':
      return tokensOf(isRecord(body.metricsEvent) ? body.metricsEvent : body);
    default:
      return undefined;
  }
}

/** Reads the usage events of raw event-stream bytes; a damaged frame ends the reading with what arrived before it. */
function readEventStream(): { push(chunk: Buffer): void; usage(): CanonicalUsage | undefined } {
  const reader = new FrameReader();
  let usage: CanonicalUsage | undefined;
  let broken = false;
  return {
    push(chunk) {
      if (broken) return;
      try {
        for (const frame of reader.push(chunk)) {
          if (!frame.payload.includes('Tokens')) continue;
          let body: unknown;
          try {
            body = JSON.parse(frame.payload.toString('utf8'));
          } catch {
            continue;
          }
          const found = isRecord(body) ? kiroUsageFromEvent(headerText(frame, ':event-type'), body) : undefined;
          if (found) usage = { ...usage, ...found };
        }
      } catch {
        broken = true;
      }
    },
    usage: () => usage,
  };
}

export const kiroUsage: UsageReading = {
  fromBody(body) {
    const reader = readEventStream();
    if (Buffer.isBuffer(body)) reader.push(body);
    return reader.usage();
  },
  createStreamReader: readEventStream,
};
