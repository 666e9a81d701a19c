import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long a refused connection may stay open after its answer went out, for the client to read it. */
const lingerMs = 2_000;

/**
 * For a request that is refused (401, 403, 404, 405, 413, any refused /api/ call): its body is not read any further.
 * A body that has fully arrived changes nothing (the connection stays reusable). Otherwise the answer says
 * `connection: close`, reading stops at once (what the client still pushes waits in the kernel's buffer and costs
 * nothing), and once the answer is written the connection is ended, and destroyed after a short linger so the client
 * can read the answer before the reset. Draining instead let one unauthenticated client push gigabytes through the
 * parser.
 */
export function stopReading(request: IncomingMessage, response: ServerResponse): void {
  if (request.complete || !hasBody(request)) {
    request.resume();
    return;
  }
  request.pause();
  request.socket.pause();
  if (!response.headersSent) response.setHeader('connection', 'close');
  const close = () => {
    const socket = request.socket;
    socket.end();
    setTimeout(() => socket.destroy(), lingerMs).unref();
  };
  if (response.writableFinished) close();
  else response.once('finish', close);
  // Closed before its answer was written: the client went away, nothing to linger for. ('close' also follows a
  // normal 'finish'; destroying then would reset the connection under an answer the client has not read yet.)
  response.once('close', () => {
    if (!response.writableFinished) request.socket.destroy();
  });
}

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return request.headers['transfer-encoding'] !== undefined;
}
