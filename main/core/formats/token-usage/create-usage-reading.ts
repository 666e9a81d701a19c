import type { CanonicalUsage } from '../canonical/canonical-response.ts';
import { mergeUsage } from '../canonical/canonical-response.ts';
import { isRecord } from '../canonical/json-values.ts';
import { createJsonObjectScanner } from './json-object-scanner.ts';
import type { UsageReading } from './usage-reading.ts';

/**
 * How a format's stream reports usage: `key` names the usage object in its events. `cumulative-fields`: each report
 * repeats or adds fields and later fields win (Anthropic: message_start has the input, message_delta the output).
 * `last-wins`: each report is complete and the last one is the answer's total (OpenAI, Gemini).
 */
export interface UsageWireShape {
  key: string;
  streamReports: 'cumulative-fields' | 'last-wins';
  /** The format's own vocabulary: its usage object -> canonical usage. */
  toCanonical(raw: unknown): CanonicalUsage | undefined;
  /** Where the usage object sits in a complete answer body. */
  bodyUsage(body: Record<string, unknown>): unknown;
  /** The stream's first report carries a placeholder output count (Anthropic's `message_start`): see `outputFinal`. */
  firstOutputIsPlaceholder?: boolean;
}

export function createUsageReading(shape: UsageWireShape): UsageReading {
  return {
    fromBody(body) {
      return isRecord(body) ? shape.toCanonical(shape.bodyUsage(body)) : undefined;
    },
    createStreamReader() {
      let raw: Record<string, unknown> | undefined;
      let cached: CanonicalUsage | undefined;
      let reports = 0;
      const scanner = createJsonObjectScanner(shape.key, (json) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(json);
        } catch {
          return; // a malformed report is no report
        }
        if (!isRecord(parsed)) return;
        raw = shape.streamReports === 'cumulative-fields' && raw ? { ...raw, ...parsed } : parsed;
        cached = undefined;
        reports += 1;
      });
      return {
        push: (chunk) => scanner.push(chunk),
        usage() {
          if (raw === undefined) return undefined;
          cached ??= mergeUsage({}, shape.toCanonical(raw));
          return cached;
        },
        ...(shape.firstOutputIsPlaceholder ? { outputFinal: () => reports > 1 } : {}),
      };
    },
  };
}
