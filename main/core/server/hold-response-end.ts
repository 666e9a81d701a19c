// Holds back the end of an answer (its last byte, and with it the client's "complete") until released. The HTTP edge
// uses it so that a request's usage row is committed before the client can see its answer complete: a process
// killed at any moment then never leaves a completed answer without its row (docs/usage.md, "Kept safely").
// Everything before the end (headers, stream events) flows as usual; only the final `end()` call waits.
import type { ServerResponse } from 'node:http';

export interface HeldEnd {
  /** Restores `end` and performs the held call, if there was one. Idempotent. */
  release(): void;
}

export function holdResponseEnd(response: ServerResponse): HeldEnd {
  const realEnd = response.end;
  let held: unknown[] | undefined;
  let released = false;
  response.end = function holdEnd(this: ServerResponse, ...args: unknown[]) {
    held = args;
    return this;
  } as ServerResponse['end'];
  return {
    release() {
      if (released) return;
      released = true;
      response.end = realEnd;
      if (held && !response.destroyed) (realEnd as (...args: unknown[]) => ServerResponse).apply(response, held);
    },
  };
}
