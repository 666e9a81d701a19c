import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { ProxyError } from '../errors/proxy-error.ts';
import { clientAbortedError, toProxyError } from '../errors/proxy-error.ts';
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

const ignore = () => {};


/**
 * Relays an upstream body to the client chunk by chunk, honouring backpressure: when the client's socket is full the
 * upstream body is paused (so TCP slows the provider down), and resumed on 'drain'; nothing piles up in memory.
 * Event-driven rather than `for await`: an async iterator costs several promises and ticks per chunk, and a 50-chunk
 * stream is 50 chunks (docs/performance.md). Resolves when the client has everything; rejects with the failure the
 * guard should count: a mid-stream upstream error, an error the upstream reported inside its stream, or the client
 * leaving.
 *
 * The status line and headers (already set with writeHead) leave with the first body bytes, in one write: when the
 * upstream's first bytes are already here, as they usually are (its headers and first events come in one read), that
 * saves a system call per request. When nothing is ready by the end of this turn of the event loop, the headers are
 * sent on their own, so the client sees its answer start while the model is still thinking.
 */
export function relayStream(response: ServerResponse, source: Readable, transform: ChunkTransform, providerId: string, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let wrote = false;
    const headerFlush = setImmediate(() => {
      if (!wrote && !response.destroyed) response.flushHeaders();
    });
    const settle = (failure?: ProxyError) => {
      if (settled) return;
      settled = true;
      clearImmediate(headerFlush);
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('error', onError);
      // A late error from a body we no longer read must not become an unhandled 'error' event (a crash).
      source.on('error', ignore);
      response.off('drain', onDrain);
      response.off('close', onClose);
      if (failure) reject(failure);
      else resolve();
    };
    /** The upstream broke (or a transform threw): end the client's stream with its format's error event. */
    const failWith = (failure: ProxyError) => {
      source.destroy();
      if (!response.destroyed) {
        let tail = '';
        try {
          tail = transform.fail(failure);
        } catch {
          // The terminal events could not be written; ending the response still tells the client it is over.
        }
        response.end(tail.length > 0 ? tail : undefined);
      }
      settle(failure);
    };
    function onData(chunk: Buffer): void {
      let output: string | Buffer;
      try {
        output = transform.push(chunk);
      } catch (error) {
        failWith(toProxyError(error, providerId));
        return;
      }
      if (output.length === 0) return;
      wrote = true;
      if (!response.write(output)) source.pause();
    }
    function onDrain(): void {
      source.resume();
    }
    function onEnd(): void {
      if (signal.aborted || response.destroyed) {
        settle(clientAbortedError(providerId));
        return;
      }
      let tail: string;
      try {
        tail = transform.end();
      } catch (error) {
        failWith(toProxyError(error, providerId));
        return;
      }
      response.end(tail.length > 0 ? tail : undefined);
      settle(transform.reportedError?.());
    }
    function onError(error: unknown): void {
      if (signal.aborted || response.destroyed) {
        settle(clientAbortedError(providerId));
        return;
      }
      failWith(networkError(error, providerId));
    }
    function onClose(): void {
      // The client went away before the end: stop reading from the provider (its call is aborted by the signal too).
      if (!response.writableFinished) {
        source.destroy();
        settle(clientAbortedError(providerId));
      }
    }
    source.on('data', onData);
    source.once('end', onEnd);
    source.once('error', onError);
    response.on('drain', onDrain);
    response.once('close', onClose);
  });
}
