import type { ServerResponse } from 'node:http';
import type { RuntimeConfig } from '../config/runtime-config.ts';
import type { RequestTraits } from '../router/request-traits.ts';
import type { ModelRequest } from './model-request.ts';
import type { RequestUsage } from './request-usage.ts';
import type { RequestCapture } from '../usage/request-log/request-capture.ts';

/**
 * One client request on its way through the engine. `runtime` is the config snapshot read once when the request
 * arrived: it was authenticated under it and is routed and served under it, even if the config file or the active
 * combo changes meanwhile.
 */
export interface RequestContext {
  runtime: RuntimeConfig;
  request: ModelRequest;
  /** Where a stream is relayed to; complete answers are returned (ModelAnswer). */
  response: ServerResponse;
  /** Aborted when the client disconnects. */
  signal: AbortSignal;
  /** What the scenario rules read, and the input-token estimate the guard's token windows use; computed lazily. */
  traits: RequestTraits;
  /** What this request used, for the usage ledger (a no-op collector when the engine keeps no ledger). */
  usage: RequestUsage;
  /** The request log's capture of this request, only while logging is on (docs/request-log.md). */
  capture?: RequestCapture;
}
