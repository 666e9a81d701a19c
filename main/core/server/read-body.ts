import type { IncomingMessage } from 'node:http';
import { requestError } from '../errors/proxy-error.ts';

/** Reads the request body up to `limit` bytes; a larger body is refused early (content-length) or as soon as it is exceeded. */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    throw tooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      request.resume();
      throw tooLarge(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

function tooLarge(limit: number) {
  return requestError('payload_too_large', 413, `Request body is larger than the limit of ${limit} bytes (server.maxBodyBytes).`);
}
