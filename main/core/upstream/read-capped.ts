import type { Readable } from 'node:stream';

/** Reads at most `limit` bytes of a body as text and discards the rest, so the connection can be reused. */
export async function readCappedText(body: Readable, limit = 256 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      if (size + buffer.length > limit) {
        chunks.push(buffer.subarray(0, limit - size));
        size = limit;
        body.destroy();
        break;
      }
      chunks.push(buffer);
      size += buffer.length;
    }
  } catch {
    // A body that fails half-way still tells us what it said so far.
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/** A whole upstream body, read with undici's own collector (no async iterator per chunk). */
export async function readAll(body: Readable & { arrayBuffer?: () => Promise<ArrayBuffer> }): Promise<Buffer> {
  if (typeof body.arrayBuffer === 'function') return Buffer.from(await body.arrayBuffer());
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
