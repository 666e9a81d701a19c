import type { ServerResponse } from 'node:http';
import type { WireFormat } from '../../../shared/wire-format.ts';
import type { ProxyError } from '../errors/proxy-error.ts';
import { renderErrorBody } from '../formats/render-error.ts';

/** A JSON answer; given as pieces (a large answer cut out of the upstream's bytes), each is written as it is, not joined. */
export function sendJson(response: ServerResponse, status: number, body: string | Buffer | readonly Buffer[], headers: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const pieces = typeof body === 'string' || Buffer.isBuffer(body) ? undefined : body;
  const length = pieces ? pieces.reduce((sum, piece) => sum + piece.length, 0) : Buffer.byteLength(body as string | Buffer);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(length),
    ...headers,
  });
  if (!pieces) {
    response.end(body);
    return;
  }
  for (const piece of pieces) response.write(piece);
  response.end();
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
