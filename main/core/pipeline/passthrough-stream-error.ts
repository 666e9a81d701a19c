import type { WireFormat } from '../../../shared/wire-format.ts';
import type { ProxyError } from '../errors/proxy-error.ts';
import { anthropicErrorType } from '../formats/anthropic/error-body.ts';
import { googleErrorStatus } from '../formats/gemini/error-body.ts';
import { openaiErrorType } from '../formats/openai-chat/error-body.ts';

/**
 * The event that ends a passthrough stream whose upstream failed after bytes had reached the client (the commit
 * point: no retry is possible). Each is what that format's own SDK recognises as a stream error, so the client
 * surfaces a clear failure instead of a silently truncated answer.
 */
export function passthroughStreamError(format: WireFormat, error: ProxyError): string {
  const status = error.status >= 400 ? error.status : 502;
  switch (format) {
    case 'anthropic':
      return `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: anthropicErrorType(status), message: error.message } })}\n\n`;
    case 'openai-chat':
      return `data: ${JSON.stringify({ error: { message: error.message, type: openaiErrorType(status), param: null, code: error.code } })}\n\n`;
    case 'openai-responses':
      return `event: error\ndata: ${JSON.stringify({ type: 'error', code: error.code, message: error.message, param: null })}\n\n`;
    case 'gemini':
      return `data: ${JSON.stringify({ error: { code: status, message: error.message, status: googleErrorStatus(status) } })}\n\n`;
  }
}
