import type { IncomingMessage } from 'node:http';
import { clientAbortedError, requestError } from '../errors/proxy-error.ts';

/**
 * Reads the request body up to `limit` bytes; a larger body is refused early (content-length) or as soon as it is
 * exceeded, and the rest is drained so the connection stays usable. Event-driven rather than `for await`, which
 * allocates an iterator, promises and ticks per request (docs/performance.md).
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  // Past the limit the rest is not read: the caller answers 413 and stops reading (server/stop-reading.ts).
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(tooLarge(limit));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size > limit) {
        done();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    }
    function onEnd(): void {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    }
    function onError(error: Error): void {
      done();
      reject(clientGone(error));
    }
    function onClose(): void {
      // Closed before the body ended: the client went away mid-upload.
      done();
      reject(clientGone());
    }
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', onError);
    request.once('close', onClose);
  });
}

function tooLarge(limit: number) {
  return requestError('payload_too_large', 413, `Request body is larger than the limit of ${limit} bytes (server.maxBodyBytes).`);
}

function clientGone(cause?: unknown) {
  return clientAbortedError(undefined, cause, 'The client closed the connection while sending the request');
}
