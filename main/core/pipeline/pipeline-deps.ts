import type { ExecutionGuard } from '../guard/guard-contract.ts';
import type { Logger } from '../logging/logger.ts';
import type { UpstreamClient } from '../upstream/upstream-client.ts';
import type { ModelLookup } from '../router/resolve-targets.ts';
import type { RouterState } from '../router/router-state.ts';
import type { UsageSink } from './request-usage.ts';

/** What the request path needs from the engine. The config snapshot comes with each request (RequestContext). */
export interface PipelineDeps {
  guard: ExecutionGuard;
  upstream: UpstreamClient;
  logger: Logger;
  now(): number;
  /** Round-robin turns and weighted draws of combos; the engine keeps one across config changes. */
  routerState?: RouterState;
  /** Models the providers reported when asked (GET /v1/models), so bare names find them too. */
  knownModels?: ModelLookup;
  /** The usage ledger: one record per client request (absent: nothing is recorded). */
  usage?: UsageSink;
}
