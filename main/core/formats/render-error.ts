import type { WireFormat } from '../../../shared/wire-format.ts';
import type { ProxyError } from '../errors/proxy-error.ts';
import type { CanonicalStreamError } from './canonical/canonical-stream-event.ts';
import { codecFor } from './codecs.ts';

/** The upstream format an error body came from, when the error carries one. */
export interface RenderErrorOptions {
  upstreamFormat?: WireFormat;
}

function parseQuietly(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What a client is told about a failure, whatever its format: the status is always an error status. */
export function clientFacingError(error: ProxyError, fallbackStatus: number): CanonicalStreamError {
  return { status: error.status >= 400 && error.status <= 599 ? error.status : fallbackStatus, message: error.message, code: error.code };
}

/**
 * Renders a ProxyError as the HTTP body the caller's SDK expects. When the upstream spoke the caller's own format
 * family, its error document is passed through unchanged (it carries details such as Gemini's RetryInfo that
 * clients read).
 */
export function renderErrorBody(format: WireFormat, error: ProxyError, options: RenderErrorOptions = {}): string {
  const codec = codecFor(format);
  if (error.upstreamBody && options.upstreamFormat && codecFor(options.upstreamFormat).errorFamily === codec.errorFamily) {
    if (codec.isErrorBody(parseQuietly(error.upstreamBody))) return error.upstreamBody;
  }
  return codec.encodeErrorBody({ status: error.status, message: error.message, code: error.code });
}

/**
 * The tail that ends a client's stream after a failure past the commit point. Translated streams get the same
 * events from their stream encoder (the translator feeds it `clientFacingError` too).
 */
export function renderStreamFailure(format: WireFormat, error: ProxyError): string {
  return codecFor(format).encodeStreamFailure(clientFacingError(error, 502));
}
