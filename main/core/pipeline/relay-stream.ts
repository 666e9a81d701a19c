import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { ProxyError } from '../errors/proxy-error.ts';
import { networkError } from '../upstream/upstream-client.ts';

/** Turns upstream stream bytes into client bytes: identity for passthrough, a format translator otherwise. */
export interface ChunkTransform {
  push(chunk: Buffer): string | Buffer;
  /** The upstream ended: whatever must still be written (terminal events). */
  end(): string;
  /** The upstream failed after the commit point: the client format's error event and terminal events. */
  fail(error: ProxyError): string;
  /** A failure the upstream reported inside its 200 stream, noticed while relaying (counts against the provider). */
  reportedError?(): ProxyError | undefined;
}

function waitForDrain(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/**
 * Relays an upstream body to the client chunk by chunk, honouring backpressure: when the client reads slowly we stop
 * reading from the upstream (the for-await loop pauses), so nothing piles up in memory. Resolves when the client has
 * everything; rejects with the failure the guard should count (mid-stream upstream error, or the client leaving).
 */
export async function relayStream(
  response: ServerResponse,
  source: Readable,
  transform: ChunkTransform,
  providerId: string,
  signal: AbortSignal,
): Promise<void> {
  try {
    for await (const chunk of source) {
      const output = transform.push(chunk as Buffer);
      if (output.length > 0 && !response.write(output)) await waitForDrain(response);
      if (response.destroyed) break;
    }
  } catch (error) {
    if (signal.aborted || response.destroyed) throw clientLeft(providerId);
    const failure = networkError(error, providerId);
    if (!response.destroyed) response.end(transform.fail(failure));
    throw failure;
  }
  if (signal.aborted || response.destroyed) {
    source.destroy();
    throw clientLeft(providerId);
  }
  const tail = transform.end();
  response.end(tail.length > 0 ? tail : undefined);
  const reported = transform.reportedError?.();
  if (reported) throw reported;
}

function clientLeft(providerId: string): ProxyError {
  return new ProxyError({ code: 'client_aborted', status: 499, message: 'The client closed the connection', scope: 'client', provider: providerId });
}
