// Holds back the end of an answer (its last byte, and with it the client's "complete") until released. The HTTP edge
// uses it so that a request's usage record is durable before the client can see its answer complete: a process
// killed at any moment then never leaves a completed answer without its record (docs/usage.md, "Kept safely").
// Everything before the end (headers, stream events) flows as usual; only the final `end()` call waits.
//
// Node's HTTP response corks its socket on a write and uncorks it at the next tick, so the last events and the
// chunked-encoding terminator written in one turn leave in one system call. An end held past that tick would leave
// in a second write of its own (on loopback a send costs the sender tens of microseconds). So when `end()` is called
// while the socket is still corked by such a write, the hold corks it once more: the last bytes wait with the end,
// and both leave together in one write at release.
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface HeldEnd {
  /** Restores `end` and performs the held call, if there was one. Idempotent. */
  release(): void;
}

export function holdResponseEnd(response: ServerResponse): HeldEnd {
  const realEnd = response.end;
  let held: unknown[] | undefined;
  let corked: Socket | undefined;
  let released = false;
  response.end = function holdEnd(this: ServerResponse, ...args: unknown[]) {
    held = args;
    const socket = response.socket;
    if (corked === undefined && socket && !socket.destroyed && socket.writableCorked > 0) {
      socket.cork();
      corked = socket;
    }
    return this;
  } as ServerResponse['end'];
  return {
    release() {
      if (released) return;
      released = true;
      response.end = realEnd;
      if (held && !response.destroyed) (realEnd as (...args: unknown[]) => ServerResponse).apply(response, held);
      if (corked && !corked.destroyed) corked.uncork();
    },
  };
}
