import type { ExecutionGuard } from '../guard/guard-contract.ts';
import type { Logger } from '../logging/logger.ts';
import type { RuntimeConfig } from '../config/runtime-config.ts';
import type { UpstreamClient } from '../upstream/upstream-client.ts';

/** What the request path needs from the engine. `runtime()` is read once per request: in-flight requests finish on
 * the config they started with, even if the active combo or the config file changes meanwhile. */
export interface PipelineDeps {
  runtime(): RuntimeConfig;
  guard: ExecutionGuard;
  upstream: UpstreamClient;
  logger: Logger;
  now(): number;
}
