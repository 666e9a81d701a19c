import type { ServerResponse } from 'node:http';
import { ProxyError, toProxyError } from '../errors/proxy-error.ts';
import { requestTraits } from '../router/request-traits.ts';
import { routeModel } from '../router/resolve-targets.ts';
import type { RouteTarget } from '../router/route-target.ts';
import { targetLabel } from '../router/route-target.ts';
import { sendError, sendJson } from '../server/send.ts';
import { shapeModelRequest } from '../shaping/shape-model-request.ts';
import { respondWithTokenEstimate } from './count-tokens.ts';
import type { ModelRequest } from './model-request.ts';
import type { PipelineDeps } from './pipeline-deps.ts';
import type { TargetPlan } from './plan-target.ts';
import { planTarget } from './plan-target.ts';
import { relayStream } from './relay-stream.ts';
import { sendThroughGuard } from './send-through-guard.ts';
import type { RequestState, TargetCall } from './target-call.ts';
import { resultHeaders } from './target-call.ts';

/** Upstream answer headers worth passing on to the client. */
const forwardedHeaders = ['content-type', 'request-id', 'x-request-id'];

/**
 * The request path (docs/architecture.md): model -> targets -> for each target, guard.run(attempt = one upstream send)
 * -> relay the answer in the client's format. Falls through to the next combo target when a target is out
 * (429/5xx/timeouts/auth/exhausted keys, or a 404 for the model), never on a 400 caused by the request.
 */
export async function handleModelRequest(deps: PipelineDeps, request: ModelRequest, response: ServerResponse, signal: AbortSignal): Promise<void> {
  const runtime = deps.runtime();
  const state: RequestState = { attempts: 0 };
  let lastError: ProxyError | undefined;
  let targets: RouteTarget[];
  try {
    const plan = routeModel({
      model: request.model,
      config: runtime.config,
      traits: requestTraits(request.format, request.body),
      models: (providerId) => [...(runtime.providers.get(providerId)?.models ?? []), ...(deps.knownModels?.(providerId) ?? [])],
      state: deps.routerState,
    });
    targets = plan.targets;
    if (deps.logger.enabled('debug')) deps.logger.debug('routed', { model: request.model, route: plan.route, targets: targets.map(targetLabel).join(',') });
  } catch (error) {
    sendError(response, request.format, toProxyError(error));
    return;
  }

  for (const target of targets) {
    const provider = runtime.providers.get(target.providerId);
    if (!provider) continue;
    state.lastTarget = target;
    try {
      const call: TargetCall = { deps, request: shapeModelRequest(request, runtime.config, provider, target), response, signal, provider, target, state };
      if (request.operation === 'countTokens') await countTokens(call);
      else await serveFromTarget(call);
      return;
    } catch (error) {
      const failure = toProxyError(error, provider.id);
      if (failure.scope === 'client' || signal.aborted) return;
      if (response.headersSent) return; // past the commit point: the relay already ended the stream properly
      lastError = failure;
      if (failure.scope === 'request') break;
      deps.logger.info('target failed, trying the next', { target: targetLabel(target), code: failure.code, status: failure.status });
    }
  }

  const failure =
    lastError ??
    new ProxyError({ code: 'no_available_key', status: 503, message: `No enabled provider can serve "${request.model}"`, scope: 'local' });
  sendError(response, request.format, failure, {
    upstreamFormat: state.lastUpstreamFormat,
    headers: resultHeaders(state),
  });
}

async function serveFromTarget(call: TargetCall): Promise<void> {
  const plan = planTarget(call.request, call.provider, call.target);
  call.state.lastUpstreamFormat = plan.upstreamFormat;
  try {
    await sendPlanned(call, plan);
  } finally {
    // Once per request, after the answer: the request's and the response's translation warnings together.
    for (const warning of plan.warnings) call.deps.logger.warn('translation dropped something', { target: targetLabel(call.target), warning });
  }
}

async function sendPlanned(call: TargetCall, plan: TargetPlan): Promise<void> {
  const { request, response, state } = call;
  const served = await sendThroughGuard(call, plan, 'generate');
  const headers = resultHeaders(state);
  for (const name of forwardedHeaders) {
    const value = served.headers[name];
    if (typeof value === 'string' && !(name === 'content-type' && (plan.upstreamFormat !== request.format || plan.rewritesWire))) headers[name] = value;
  }

  if (served.kind === 'buffered') {
    const body = plan.convertResponse(served.body!);
    sendJson(response, served.status, body, headers);
    return;
  }

  headers['content-type'] ??= 'text/event-stream';
  headers['cache-control'] = 'no-cache';
  response.writeHead(served.status, headers);
  response.flushHeaders();
  try {
    await relayStream(response, served.stream!, plan.createStreamTransform(), call.provider.id, call.signal);
    served.finished!.resolve();
  } catch (error) {
    served.finished!.reject(error);
    throw error;
  }
}

/**
 * count_tokens / countTokens: exact from the upstream when it can count in the client's format, otherwise a
 * local estimate (also when counting upstream fails for reasons other than the request itself).
 */
async function countTokens(call: TargetCall): Promise<void> {
  const { deps, request, response, provider, target, state } = call;
  if (provider.adapter.countTokensFormats.includes(request.format)) {
    const plan = planTarget(request, provider, target);
    try {
      const served = await sendThroughGuard(call, plan, 'countTokens');
      sendJson(response, served.status, served.body!, resultHeaders(state));
      return;
    } catch (error) {
      const failure = toProxyError(error, provider.id);
      if (failure.scope === 'request' || failure.scope === 'client') throw failure;
      deps.logger.info('counting tokens upstream failed; answering with an estimate', { target: targetLabel(target), code: failure.code });
    }
  }
  respondWithTokenEstimate(response, request, { ...resultHeaders(state), 'x-switchyard-token-count': 'estimate' });
}
