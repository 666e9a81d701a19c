import { ProxyError, isInternalError, toProxyError } from '../errors/proxy-error.ts';
import { routeModel } from '../router/resolve-targets.ts';
import type { RouteTarget } from '../router/route-target.ts';
import { targetLabel } from '../router/route-target.ts';
import { tokenEstimateBody } from './count-tokens.ts';
import type { ModelAnswer } from './model-answer.ts';
import type { PipelineDeps, StepProbe } from './pipeline-deps.ts';
import type { TargetPlan } from './plan-target.ts';
import { planTarget } from './plan-target.ts';
import type { ChunkTransform } from './relay-stream.ts';
import { relayStream } from './relay-stream.ts';
import type { StreamUsageReader } from '../formats/token-usage/usage-reading.ts';
import type { RequestContext } from './request-context.ts';
import type { RequestCapture } from '../usage/request-log/request-capture.ts';
import { abandonServed, sendThroughGuard } from './send-through-guard.ts';
import { shapeModelRequest } from './shape-model-request.ts';
import { decodeEmbeddingRequest, embeddingTraits, serveEmbeddings } from './serve-embeddings.ts';
import { decodeImageGeneration, imageTraits, serveImages } from './serve-images.ts';
import { isSideOperation, targetsServing } from './side-operations.ts';
import { answerLocally } from './answer-locally.ts';
import type { RequestState, TargetCall } from './target-call.ts';
import { resultHeaders } from './target-call.ts';

/** Upstream answer headers worth passing on to the client. */
const forwardedHeaders = ['content-type', 'request-id', 'x-request-id'];

/**
 * The request path (docs/architecture.md): model -> targets -> for each target, guard.run(attempt = one upstream send) -> the answer in
 * the client's format. Falls through to the next combo target when a target is out (429/5xx/timeouts/auth/exhausted
 * keys, or a 404 for the model), never on a 400 caused by the request nor on an internal error (a bug is not a
 * provider outage; it is logged as an error and answered with a 500).
 */
export async function handleModelRequest(deps: PipelineDeps, given: RequestContext): Promise<ModelAnswer> {
  const local = answerLocally(given);
  if (local) return local;
  let serve: (call: TargetCall) => Promise<ModelAnswer>;
  let context = given;
  try {
    ({ serve, context } = operationOf(given));
  } catch (error) {
    return { kind: 'error', error: toProxyError(error) };
  }
  const { runtime, request, response, signal } = context;
  const side = isSideOperation(request.operation);
  const state: RequestState = { attempts: 0 };
  let lastError: ProxyError | undefined;
  let targets: RouteTarget[];
  try {
    const plan = routeModel({
      model: request.model,
      config: runtime.config,
      // Scenario rules choose chat models; embeddings and images go where they are named.
      ...(side ? {} : { traits: context.traits }),
      models: (providerId) => [...(runtime.providers.get(providerId)?.models ?? []), ...(deps.knownModels?.(providerId) ?? [])],
      state: deps.routerState,
    });
    targets = side ? targetsServing(plan.targets, runtime, request.operation as 'embed' | 'generateImage', request.model) : plan.targets;
    context.usage.routed(plan.route);
    if (deps.logger.enabled('debug')) deps.logger.debug('routed', { model: request.model, route: plan.route, targets: targets.map(targetLabel).join(',') });
  } catch (error) {
    return { kind: 'error', error: toProxyError(error) };
  }

  for (const target of targets) {
    const provider = runtime.providers.get(target.providerId);
    if (!provider) continue;
    state.lastTarget = target;
    context.usage.targetStarted(provider.id, target.model);
    try {
      // Shaping edits chat requests; an embeddings or image request goes as the client sent it.
      const call: TargetCall = { deps, context, request: side ? request : shapeModelRequest(request, runtime.config, provider, target), provider, target, state };
      return await serve(call);
    } catch (error) {
      const failure = toProxyError(error, provider.id);
      if (failure.scope === 'client' || signal.aborted) return { kind: 'done' };
      // past the commit point: the relay already ended the stream properly
      if (response.headersSent) return { kind: 'done', error: failure };
      lastError = failure;
      if (isInternalError(failure)) {
        deps.logger.error('internal error while serving a request (a bug, not a provider failure)', {
          target: targetLabel(target),
          error: failure.message,
          stack: failure.cause instanceof Error ? failure.cause.stack : undefined,
        });
        break;
      }
      if (failure.scope === 'request') break;
      deps.logger.info('target failed, trying the next', { target: targetLabel(target), code: failure.code, status: failure.status });
    }
  }

  const failure =
    lastError ??
    new ProxyError({ code: 'no_available_key', status: 503, message: `No enabled provider can serve "${request.model}"`, scope: 'local' });
  return { kind: 'error', error: failure, upstreamFormat: state.lastUpstreamFormat, headers: resultHeaders(state) };
}

/**
 * How each target serves this request, decided once: embeddings and images are decoded first (a malformed one is a
 * 400 before any routing), and their token estimate for the guard is their input, not a chat body's.
 */
function operationOf(context: RequestContext): { serve: (call: TargetCall) => Promise<ModelAnswer>; context: RequestContext } {
  const { request } = context;
  if (request.operation === 'embed') {
    const embedding = decodeEmbeddingRequest(request);
    return { serve: (call) => serveEmbeddings(call, embedding), context: { ...context, traits: embeddingTraits(embedding) } };
  }
  if (request.operation === 'generateImage') {
    const image = decodeImageGeneration(request);
    return { serve: (call) => serveImages(call, image), context: { ...context, traits: imageTraits(image) } };
  }
  return { serve: request.operation === 'countTokens' ? countTokens : serveFromTarget, context };
}

async function serveFromTarget(call: TargetCall): Promise<ModelAnswer> {
  const plan = planTarget(call.request, call.provider, call.target);
  call.state.lastUpstreamFormat = plan.upstreamFormat;
  try {
    return await sendPlanned(call, plan);
  } finally {
    // Once per request, after the answer: the request's and the response's translation warnings together.
    for (const warning of plan.warnings) call.deps.logger.warn('translation dropped something', { target: targetLabel(call.target), warning });
  }
}

async function sendPlanned(call: TargetCall, plan: TargetPlan): Promise<ModelAnswer> {
  const { request, state } = call;
  const { response } = call.context;
  const served = await sendThroughGuard(call, plan, 'generate');
  const headers = resultHeaders(state);
  for (const name of forwardedHeaders) {
    const value = served.headers[name];
    if (typeof value === 'string' && !(name === 'content-type' && (plan.upstreamFormat !== request.format || plan.rewritesWire))) headers[name] = value;
  }

  if (served.kind === 'buffered') {
    if (call.context.usage.active) call.context.usage.bufferedAnswer(plan.usage, served.body!, plan.answerIsStream, plan.output);
    return { kind: 'json', status: served.status, body: plan.convertResponse(served.body!), headers };
  }

  headers['content-type'] ??= 'text/event-stream';
  headers['cache-control'] = 'no-cache';
  const probe = call.deps.stepProbe;
  // From here the guard holds this send's slot until `finished` settles: whatever throws on the way (writing the
  // head included) must settle it, or the slot is never given back (issue 15).
  try {
    probe?.('write', { model: call.context.request.model });
    // relayStream sends these with the first body bytes (or on their own if none are ready this turn).
    response.writeHead(served.status, headers);
    const transform = withUsageReader(withProbe(plan.createStreamTransform(), probe, call.context.request.model), call.context.usage.streamReader(plan.usage, true, plan.output));
    await relayStream(response, served.stream!, call.context.capture ? withCapture(transform, call.context.capture) : transform, call.provider.id, call.context.signal);
    served.finished!.resolve();
  } catch (error) {
    abandonServed(served, error);
    throw error;
  }
  return { kind: 'done' };
}

/** Feeds every upstream chunk to the usage reader before the transform sees it, so an aborted stream still has what arrived. */
function withUsageReader(transform: ChunkTransform, reader: StreamUsageReader | undefined): ChunkTransform {
  if (!reader) return transform;
  const push = transform.push.bind(transform);
  transform.push = (chunk) => {
    reader.push(chunk);
    return push(chunk);
  };
  return transform;
}

/** Tests only: the probe is told of every chunk before it is translated, so it can make translation throw. */
function withProbe(transform: ChunkTransform, probe: StepProbe | undefined, model: string): ChunkTransform {
  if (!probe) return transform;
  const push = transform.push.bind(transform);
  transform.push = (chunk) => {
    probe('translate', { model });
    return push(chunk);
  };
  return transform;
}

/** The request log sees every upstream chunk as it arrived (a bounded copy), before any translation. */
function withCapture(transform: ChunkTransform, capture: RequestCapture): ChunkTransform {
  const push = transform.push.bind(transform);
  transform.push = (chunk) => {
    capture.upstreamBytes(chunk);
    return push(chunk);
  };
  return transform;
}

/**
 * count_tokens / countTokens: exact from the upstream when it can count in the client's format, otherwise a
 * local estimate (also when counting upstream fails for reasons other than the request itself).
 */
async function countTokens(call: TargetCall): Promise<ModelAnswer> {
  const { deps, request, provider, target, state } = call;
  if (provider.adapter.countTokensFormats.includes(request.format)) {
    const plan = planTarget(request, provider, target);
    try {
      const served = await sendThroughGuard(call, plan, 'countTokens');
      return { kind: 'json', status: served.status, body: served.body!, headers: resultHeaders(state) };
    } catch (error) {
      const failure = toProxyError(error, provider.id);
      if (failure.scope === 'request' || failure.scope === 'client' || isInternalError(failure)) throw failure;
      deps.logger.info('counting tokens upstream failed; answering with an estimate', { target: targetLabel(target), code: failure.code });
    }
  }
  return { kind: 'json', status: 200, body: tokenEstimateBody(request), headers: { ...resultHeaders(state), 'x-switchyard-token-count': 'estimate' } };
}
