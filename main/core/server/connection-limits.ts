import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ClientAllowlist } from './client-allowlist.ts';

export interface ConnectionLimits {
  /** Who may connect at all (server.allowedClients); read per connection so a config reload applies at once. */
  allowlist(): ClientAllowlist;
  /** Open connections accepted at once (server.maxConnections); the next one gets a 503 and is closed. */
  maxConnections(): number;
  /** A connection must deliver its first request's headers this soon after connecting (server.headersTimeoutMs). */
  headersTimeoutMs(): number;
  /** Told about each connection turned away here, for the dashboard's list of recent clients. */
  onRefused?(address: string | undefined, why: 'allowlist' | 'tooManyConnections'): void;
}

const tooMany = 'Switchyard has too many open connections right now (server.maxConnections). Retry shortly.\n';
const tooManyAnswer =
  `HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\nretry-after: 1\r\ncontent-type: text/plain; charset=utf-8\r\n` +
  `content-length: ${Buffer.byteLength(tooMany)}\r\n\r\n${tooMany}`;

/**
 * Bounds what a connection may cost before it is a request: refused peers are closed before any parsing, the number
 * of open connections is capped with a clear answer past it (instead of running out of file descriptors and
 * stalling everyone), and a connection that sends nothing is closed once the header timeout has passed since it
 * connected. Node's own headersTimeout only starts once bytes arrive and is checked on an interval; this timer runs
 * from the accept. Keep-alive idling between requests stays Node's keepAliveTimeout.
 */
export function limitConnections(server: Server, limits: ConnectionLimits): { open(): number } {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    if (!limits.allowlist().allows(socket.remoteAddress)) {
      socket.destroy();
      limits.onRefused?.(socket.remoteAddress, 'allowlist');
      return;
    }
    if (sockets.size >= limits.maxConnections()) {
      limits.onRefused?.(socket.remoteAddress, 'tooManyConnections');
      socket.end(tooManyAnswer);
      socket.on('error', () => {});
      return;
    }
    sockets.add(socket);
    const silent = setTimeout(() => socket.destroy(), limits.headersTimeoutMs());
    silent.unref();
    socket.once('close', () => {
      clearTimeout(silent);
      sockets.delete(socket);
    });
    firstRequestOn.set(socket, () => clearTimeout(silent));
  });
  server.on('request', (request, response) => {
    const settle = firstRequestOn.get(request.socket);
    if (settle) {
      firstRequestOn.delete(request.socket);
      settle();
    }
    answering.set(request.socket, response);
    response.once('close', () => {
      if (answering.get(request.socket) === response) answering.delete(request.socket);
    });
  });
  keepHalfClosedAnswered(server, answering);
  return { open: () => sockets.size };
}

const firstRequestOn = new WeakMap<Socket, () => void>();
/** The response being written on each socket, while one is. */
const answering = new WeakMap<Socket, ServerResponse>();
const probeEveryMs = 1_000;

/**
 * A client may half-close its side after sending the request (shutdown(SHUT_WR), `nc -N`): it still waits for the
 * answer. Node by default treats that FIN as a disconnect and drops the request, so such clients never got one. With
 * half-open sockets allowed, a FIN no longer tells a half-close from a client that went away; to still cancel the
 * upstream call of a client that is gone, the waiting response sends `102 Processing` now and every second until its
 * headers go out: a peer that closed for good answers that with a reset, the next write fails and the request is
 * aborted as before. Clients that never half-close never see a 102.
 */
function keepHalfClosedAnswered(server: Server, responses: WeakMap<Socket, ServerResponse>): void {
  // Internal but long-standing switch of node:http (the server's own half-open handling); there is no public option.
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  server.on('connection', (socket: Socket) => {
    socket.once('end', () => {
      const response = responses.get(socket);
      if (response) probe(response);
    });
  });
}

function probe(response: ServerResponse): void {
  if (response.headersSent || response.writableEnded || response.destroyed) return;
  response.writeProcessing();
  const next = setTimeout(() => probe(response), probeEveryMs);
  next.unref();
  response.once('close', () => clearTimeout(next));
}
