import type { WireFormat } from '../../../shared/wire-format.ts';
import { ProxyError } from '../errors/proxy-error.ts';

// What an upstream's own in-stream failure looks like in each format. Noticing it only lets the guard count the
// failure instead of recording a success; what reaches the client is decided by
// the transform (relayed unchanged for passthrough, translated otherwise).
const errorMarkers: Record<WireFormat, RegExp> = {
  anthropic: /^event: error$/m,
  'openai-chat': /^data: \{"error"/m,
  'openai-responses': /^event: (error|response\.failed)$/m,
  gemini: /^data: \{\s*"error"/m,
};

// A byte needle per format that every error marker above contains: chunks are searched as bytes (no string
// conversion), and only a chunk that contains it is decoded and matched precisely.
const needles: Record<Exclude<WireFormat, 'openai-responses'>, Buffer> = {
  anthropic: Buffer.from('event: error'),
  'openai-chat': Buffer.from('{"error"'),
  gemini: Buffer.from('"error"'),
};
const responsesFailure = [Buffer.from('event: error'), Buffer.from('event: response.failed')];

export interface StreamErrorDetector {
  inspect(chunk: Buffer): void;
  reported(): ProxyError | undefined;
}

export function createStreamErrorDetector(upstreamFormat: WireFormat, providerId: string): StreamErrorDetector {
  let reported: ProxyError | undefined;
  const marker = errorMarkers[upstreamFormat];
  const mentionsError =
    upstreamFormat === 'openai-responses'
      ? (chunk: Buffer) => responsesFailure.some((failure) => chunk.indexOf(failure) !== -1)
      : (chunk: Buffer) => chunk.indexOf(needles[upstreamFormat]) !== -1;
  return {
    inspect(chunk) {
      // Cheap pre-check on the raw bytes; the regex runs only on the rare chunk that holds an error marker.
      if (reported !== undefined || !mentionsError(chunk)) return;
      const text = chunk.toString('utf8');
      if (!marker.test(text)) return;
      reported = new ProxyError({
        code: 'upstream_error',
        status: 502,
        message: `${providerId}: the provider reported an error mid-stream`,
        scope: 'provider',
        provider: providerId,
        upstreamBody: text.slice(0, 2000),
      });
    },
    reported: () => reported,
  };
}
