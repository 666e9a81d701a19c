import type { WireFormat } from '../../../shared/wire-format.ts';
import type { ProxyError } from '../errors/proxy-error.ts';

/**
 * What the request path hands back to the HTTP edge. The pipeline writes streams itself (the relay needs the
 * socket's backpressure and owns the commit point); complete answers and failures are returned for the server to
 * write, so the pipeline never depends on the server.
 */
export type ModelAnswer =
  /** `body` as pieces: a large answer cut out of the upstream's bytes, written piece by piece rather than copied whole. */
  | { kind: 'json'; status: number; body: string | Buffer | readonly Buffer[]; headers: Record<string, string> }
  /** Rendered in the client's format; `upstreamFormat` lets an upstream error document of the same family through. */
  | { kind: 'error'; error: ProxyError; upstreamFormat?: WireFormat; headers?: Record<string, string> }
  /** Already written to the client (a relayed stream), or the client left: nothing more to write. `error`: what ended the stream early. */
  | { kind: 'done'; error?: ProxyError };
