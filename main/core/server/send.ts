import type { ServerResponse } from 'node:http';
import type { WireFormat } from '../../../shared/wire-format.ts';
import type { ProxyError } from '../errors/proxy-error.ts';
import { renderErrorBody } from '../formats/render-error.ts';

export function sendJson(response: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  response.end(body);
}

/** Sends a ProxyError in the caller's own error format, with retry-after when we know how long to wait. */
export function sendError(
  response: ServerResponse,
  format: WireFormat,
  error: ProxyError,
  options: { upstreamFormat?: WireFormat; headers?: Record<string, string> } = {},
): void {
  if (response.destroyed) return;
  const headers: Record<string, string> = { ...options.headers };
  if (error.retryAfterMs !== undefined && (error.status === 429 || error.status === 503)) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
  }
  const status = error.status >= 400 && error.status <= 599 ? error.status : 500;
  sendJson(response, status, renderErrorBody(format, error, { upstreamFormat: options.upstreamFormat }), headers);
}
