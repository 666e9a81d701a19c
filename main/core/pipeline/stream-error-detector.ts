import type { WireFormat } from '../../../shared/wire-format.ts';
import { ProxyError } from '../errors/proxy-error.ts';
import { codecFor } from '../formats/codecs.ts';

// Noticing an upstream's own in-stream failure only lets the guard count the failure instead of recording a
// success; what reaches the client is decided by the transform (relayed unchanged for passthrough, translated
// otherwise). What such a failure looks like is the codec's knowledge (Codec.streamErrorSignature).

export interface StreamErrorDetector {
  inspect(chunk: Buffer): void;
  reported(): ProxyError | undefined;
}

/** What the guard is told when a provider's stream carried its own error: a failure of the provider. */
export function midStreamError(providerId: string, upstreamBody?: string): ProxyError {
  return new ProxyError({
    code: 'upstream_error',
    status: 502,
    message: `${providerId}: the provider reported an error mid-stream`,
    scope: 'provider',
    provider: providerId,
    ...(upstreamBody !== undefined ? { upstreamBody } : {}),
  });
}

export function createStreamErrorDetector(upstreamFormat: WireFormat, providerId: string): StreamErrorDetector {
  let reported: ProxyError | undefined;
  const { needles, marker } = codecFor(upstreamFormat).streamErrorSignature;
  const mentionsError = (chunk: Buffer): boolean => {
    for (const needle of needles) if (chunk.indexOf(needle) !== -1) return true;
    return false;
  };
  return {
    inspect(chunk) {
      // Cheap pre-check on the raw bytes; the regex runs only on the rare chunk that holds an error needle.
      if (reported !== undefined || !mentionsError(chunk)) return;
      const text = chunk.toString('utf8');
      if (!marker.test(text)) return;
      reported = midStreamError(providerId, text.slice(0, 2000));
    },
    reported: () => reported,
  };
}
