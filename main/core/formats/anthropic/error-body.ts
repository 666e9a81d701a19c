// Anthropic error shape: {"type":"error","error":{"type":"…","message":"…"}} (docs/wire-formats.md, Anthropic Messages).
import type { CanonicalStreamError } from '../canonical/canonical-stream-event.ts';
import type { StreamErrorSignature } from '../codec.ts';
import { namedSseEvent } from '../sse/sse-writer.ts';

const typeByStatus: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  502: 'api_error',
  503: 'overloaded_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

export function anthropicErrorType(status: number): string {
  return typeByStatus[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

export function anthropicErrorBody(status: number, message: string, type = anthropicErrorType(status)): string {
  return JSON.stringify({ type: 'error', error: { type, message } });
}

/** True when `body` already is an Anthropic error document (then it can be passed through unchanged). */
export function isAnthropicErrorBody(parsed: unknown): boolean {
  if (typeof parsed !== 'object' || parsed === null) return false;
  const record = parsed as { type?: unknown; error?: { type?: unknown; message?: unknown } };
  return record.type === 'error' && typeof record.error?.type === 'string' && typeof record.error.message === 'string';
}

/** The `error` event that ends an Anthropic stream; the SDK's stream iterator raises it as an APIError. */
export function anthropicStreamFailure(error: CanonicalStreamError): string {
  return namedSseEvent('error', { type: 'error', error: { type: anthropicErrorType(error.status), message: error.message } });
}

export const anthropicStreamErrorSignature: StreamErrorSignature = { needles: [Buffer.from('event: error')], marker: /^event: error$/m };
