import type { WireFormat } from '../../../shared/wire-format.ts';
import { ProxyError } from '../errors/proxy-error.ts';
import { passthroughStreamError } from './passthrough-stream-error.ts';
import type { ChunkTransform } from './relay-stream.ts';

// What an upstream's own in-stream failure looks like in each format. The bytes are relayed unchanged either way;
// noticing them only lets the guard count the failure instead of recording a success (PITFALLS.md "Errors mid-stream").
const errorMarkers: Record<WireFormat, RegExp> = {
  anthropic: /^event: error$/m,
  'openai-chat': /^data: \{"error"/m,
  'openai-responses': /^event: (error|response\.failed)$/m,
  gemini: /^data: \{\s*"error"/m,
};

/** Identity transform for same-format streams: every upstream byte goes to the client as is. */
export function passthroughTransform(format: WireFormat, providerId: string): ChunkTransform {
  let reported: ProxyError | undefined;
  const marker = errorMarkers[format];
  return {
    push(chunk) {
      // Cheap pre-check on the raw bytes; the regex runs only on the rare chunk that mentions an error.
      if (reported === undefined && chunk.includes('error')) {
        const text = chunk.toString('utf8');
        if (marker.test(text)) {
          reported = new ProxyError({
            code: 'upstream_error',
            status: 502,
            message: `${providerId}: the provider reported an error mid-stream`,
            scope: 'provider',
            provider: providerId,
            upstreamBody: text.slice(0, 2000),
          });
        }
      }
      return chunk;
    },
    end: () => '',
    fail: (error) => passthroughStreamError(format, error),
    reportedError: () => reported,
  };
}
