// Google API error shape: {"error":{"code":429,"message":"…","status":"RESOURCE_EXHAUSTED","details":[…]}}
// (docs/wire-formats.md, Gemini API; canonical codes from google.rpc.Code).
import type { CanonicalStreamError } from '../canonical/canonical-stream-event.ts';
import type { StreamErrorSignature } from '../codec.ts';

const statusByHttp: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'UNIMPLEMENTED',
  409: 'ABORTED',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function googleErrorStatus(httpStatus: number): string {
  return statusByHttp[httpStatus] ?? (httpStatus >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
}

export function geminiErrorBody(httpStatus: number, message: string, details?: unknown[]): string {
  const error: Record<string, unknown> = { code: httpStatus, message, status: googleErrorStatus(httpStatus) };
  if (details && details.length > 0) error.details = details;
  return JSON.stringify({ error });
}

export function isGeminiErrorBody(parsed: unknown): boolean {
  if (typeof parsed !== 'object' || parsed === null) return false;
  const error = (parsed as { error?: { code?: unknown; message?: unknown } }).error;
  return typeof error === 'object' && error !== null && typeof error.code === 'number' && typeof error.message === 'string';
}

/** Gemini streams end a failure with the error document as a data event (what the Google SDKs raise). */
export function geminiStreamFailure(error: CanonicalStreamError): string {
  return `data: ${geminiErrorBody(error.status, error.message)}\n\n`;
}

export const geminiStreamErrorSignature: StreamErrorSignature = { needles: [Buffer.from('"error"')], marker: /^data: \{\s*"error"/m };
