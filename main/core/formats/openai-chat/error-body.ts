// OpenAI error shape, shared by Chat Completions and Responses:
// {"error":{"message":"…","type":"…","param":null,"code":"…"}} (docs/wire-formats.md, OpenAI Chat Completions).
import type { CanonicalStreamError } from '../canonical/canonical-stream-event.ts';
import type { StreamErrorSignature } from '../codec.ts';
import { dataSseEvent } from '../sse/sse-writer.ts';

const typeByStatus: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  413: 'invalid_request_error',
  429: 'rate_limit_error',
};

export function openaiErrorType(status: number): string {
  return typeByStatus[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
}

export function openaiErrorBody(status: number, message: string, code: string | null = null, type = openaiErrorType(status)): string {
  return JSON.stringify({ error: { message, type, param: null, code } });
}

export function isOpenaiErrorBody(parsed: unknown): boolean {
  if (typeof parsed !== 'object' || parsed === null) return false;
  const error = (parsed as { error?: { message?: unknown } }).error;
  return typeof error === 'object' && error !== null && typeof error.message === 'string';
}

/**
 * A Chat Completions stream failure: an `error` data chunk (the SDK's iterator raises it as an APIError) followed by
 * `data: [DONE]`, so clients that read until the sentinel stop there instead of waiting on a closed connection.
 */
export function chatStreamFailure(error: CanonicalStreamError): string {
  return dataSseEvent({ error: { message: error.message, type: openaiErrorType(error.status), param: null, code: error.code ?? null } }) + 'data: [DONE]\n\n';
}

export const chatStreamErrorSignature: StreamErrorSignature = { needles: [Buffer.from('{"error"')], marker: /^data: \{"error"/m };
