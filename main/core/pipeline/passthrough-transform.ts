import type { WireFormat } from '../../../shared/wire-format.ts';
import { renderStreamFailure } from '../formats/render-error.ts';
import type { ChunkTransform } from './relay-stream.ts';
import { createStreamErrorDetector } from './stream-error-detector.ts';

/** Identity transform for same-format streams: every upstream byte goes to the client as is. */
export function passthroughTransform(format: WireFormat, providerId: string): ChunkTransform {
  const detector = createStreamErrorDetector(format, providerId);
  return {
    push(chunk) {
      detector.inspect(chunk);
      return chunk;
    },
    end: () => '',
    fail: (error) => renderStreamFailure(format, error),
    reportedError: detector.reported,
  };
}
