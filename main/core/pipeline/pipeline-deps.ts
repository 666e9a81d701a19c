import type { ExecutionGuard } from '../guard/guard-contract.ts';
import type { Logger } from '../logging/logger.ts';
import type { UpstreamClient } from '../upstream/upstream-client.ts';
import type { ModelLookup } from '../router/resolve-targets.ts';
import type { RouterState } from '../router/router-state.ts';
import type { UsageSink } from './request-usage.ts';
import type { RequestCapture } from '../usage/request-log/request-capture.ts';
import type { WireFormat } from '../../../shared/wire-format.ts';

/** Steps of a model request that have no failure a test can cause from outside (see `stepProbe`). */
export type ProbedStep = 'translate' | 'write';

/**
 * Tests only (EngineOptions.stepProbe): called as a model request reaches a step; what it throws fails the request
 * right there, as a bug at that step would. `model` is the model the client named.
 */
export type StepProbe = (step: ProbedStep, request: { model: string }) => void;

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
  /** The opt-in request log: `begin` answers undefined (nothing more is done) unless logging is on. */
  requestLog?: { begin(clientFormat: WireFormat): RequestCapture | undefined; complete(capture: RequestCapture): void };
  /** Absent in every real engine; fault-injection tests use it to make a step throw. */
  stepProbe?: StepProbe;
}
