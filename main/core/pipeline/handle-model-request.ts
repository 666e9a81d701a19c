import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { WireFormat } from '../../../shared/wire-format.ts';
import { ProxyError, toProxyError } from '../errors/proxy-error.ts';
import type { RuntimeProvider } from '../config/runtime-config.ts';
import type { AttemptSuccess, ResponseHeaders } from '../guard/guard-contract.ts';
import { requestTraits } from '../router/request-traits.ts';
import { routeModel } from '../router/resolve-targets.ts';
import type { RouteTarget } from '../router/route-target.ts';
import { shapeModelRequest } from '../shaping/shape-model-request.ts';
import { targetLabel } from '../router/route-target.ts';
import { sendError, sendJson } from '../server/send.ts';
import { deferred } from './deferred.ts';
import type { ModelRequest } from './model-request.ts';
import type { PipelineDeps } from './pipeline-deps.ts';
import type { TargetPlan } from './plan-target.ts';
import { planTarget } from './plan-target.ts';
import { readAll, readCappedText } from './read-capped.ts';
import { relayStream } from './relay-stream.ts';
import { estimateTokensRoughly, respondWithTokenEstimate } from './count-tokens.ts';

/** Upstream answer headers worth passing on to the client. */
const forwardedHeaders = ['content-type', 'request-id', 'x-request-id'];

interface Served {
  kind: 'buffered' | 'stream';
  status: number;
  headers: ResponseHeaders;
  body?: Buffer;
  stream?: Readable;
  finished?: ReturnType<typeof deferred<void>>;
}

interface RequestState {
  attempts: number;
  lastTarget?: RouteTarget;
  lastUpstreamFormat?: WireFormat;
}

/**
 * The request path (DESIGN.md): model -> targets -> for each target, guard.run(attempt = one upstream send)
 * -> relay the answer in the client's format. Falls through to the next combo target when a target is out
 * (429/5xx/timeouts/auth/exhausted keys), never on a 400 caused by the request.
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
      const shaped = shapeModelRequest(request, runtime.config, provider, target);
      if (request.operation === 'countTokens') await countTokens(deps, shaped, response, signal, provider, target, state);
      else await serveFromTarget(deps, shaped, response, signal, provider, target, state);
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

function resultHeaders(state: RequestState): Record<string, string> {
  const headers: Record<string, string> = { 'x-switchyard-attempts': String(state.attempts) };
  if (state.lastTarget) headers['x-switchyard-target'] = targetLabel(state.lastTarget);
  return headers;
}

async function serveFromTarget(
  deps: PipelineDeps,
  request: ModelRequest,
  response: ServerResponse,
  signal: AbortSignal,
  provider: RuntimeProvider,
  target: RouteTarget,
  state: RequestState,
): Promise<void> {
  const plan = planTarget(request, provider, target);
  state.lastUpstreamFormat = plan.upstreamFormat;
  try {
    await sendPlanned(deps, request, response, signal, provider, target, state, plan);
  } finally {
    // Once per request, after the answer: the request's and the response's translation warnings together.
    for (const warning of plan.warnings) deps.logger.warn('translation dropped something', { target: targetLabel(target), warning });
  }
}

async function sendPlanned(
  deps: PipelineDeps,
  request: ModelRequest,
  response: ServerResponse,
  signal: AbortSignal,
  provider: RuntimeProvider,
  target: RouteTarget,
  state: RequestState,
  plan: TargetPlan,
): Promise<void> {
  const served = await sendThroughGuard(deps, request, provider, target, plan, 'generate', signal, state);
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
    await relayStream(response, served.stream!, plan.createStreamTransform(), provider.id, signal);
    served.finished!.resolve();
  } catch (error) {
    served.finished!.reject(error);
    throw error;
  }
}

async function sendThroughGuard(
  deps: PipelineDeps,
  request: ModelRequest,
  provider: RuntimeProvider,
  target: RouteTarget,
  plan: TargetPlan,
  operation: 'generate' | 'countTokens',
  signal: AbortSignal,
  state: RequestState,
): Promise<Served> {
  const stream = operation === 'generate' && request.stream;
  const dedupKey =
    !stream && provider.config.dedup?.enabled
      ? createHash('sha256').update(`${provider.id}\n${target.model}\n${operation}\n`).update(plan.body).digest('base64url')
      : undefined;

  return deps.guard.run<Served>(
    {
      providerId: provider.id,
      model: target.model,
      stream,
      estimatedInputTokens: estimateTokensRoughly(plan.body.length),
      dedupKey,
      signal,
      // A combo entry limited to some keys (docs/routing.md); the guard's key pool must honour it.
      ...(target.keyIds ? { keyIds: target.keyIds } : {}),
    },
    async (lease): Promise<AttemptSuccess<Served>> => {
      state.attempts += 1;
      const prepared = provider.adapter.prepare({
        endpoint: provider.endpoint,
        format: plan.upstreamFormat,
        operation,
        model: target.model,
        stream,
        credential: lease.secret,
        clientHeaders: request.headers,
        configHeaders: provider.config.headers,
        clientQuery: request.query,
      });
      const upstream = await deps.upstream.send(
        {
          origin: provider.endpoint.origin,
          path: prepared.path,
          method: 'POST',
          headers: prepared.headers,
          body: plan.body,
          signal: lease.signal,
          proxy: provider.outbound.proxyFor(lease.keyId),
          timeouts: provider.outbound.timeouts,
        },
        provider.id,
      );
      const headers = upstream.headers as ResponseHeaders;
      if (upstream.statusCode < 200 || upstream.statusCode >= 300) {
        const text = await readCappedText(upstream.body);
        throw provider.adapter.classifyError(
          { status: upstream.statusCode, headers, body: text },
          { providerId: provider.id, keyId: lease.keyId, now: deps.now() },
        );
      }
      if (!stream) {
        let body: Buffer;
        try {
          body = await readAll(upstream.body);
        } catch (error) {
          throw toUpstreamReadError(error, provider.id, lease.signal);
        }
        return { value: { kind: 'buffered', status: upstream.statusCode, headers, body }, headers };
      }
      const finished = deferred<void>();
      return {
        value: { kind: 'stream', status: upstream.statusCode, headers, stream: upstream.body, finished },
        headers,
        finished: finished.promise,
      };
    },
  );
}

function toUpstreamReadError(error: unknown, providerId: string, signal: AbortSignal): ProxyError {
  if (signal.aborted) return new ProxyError({ code: 'client_aborted', status: 499, message: 'The client closed the connection', scope: 'client', provider: providerId });
  const message = error instanceof Error ? error.message : String(error);
  return new ProxyError({ code: 'upstream_error', status: 502, message: `${providerId}: the answer broke off (${message})`, scope: 'provider', retryable: true, provider: providerId, cause: error });
}

/**
 * count_tokens / countTokens: exact from the upstream when it can count in the client's format, otherwise a
 * local estimate (also when counting upstream fails for reasons other than the request itself).
 */
async function countTokens(
  deps: PipelineDeps,
  request: ModelRequest,
  response: ServerResponse,
  signal: AbortSignal,
  provider: RuntimeProvider,
  target: RouteTarget,
  state: RequestState,
): Promise<void> {
  if (provider.adapter.countTokensFormats.includes(request.format)) {
    const plan = planTarget(request, provider, target);
    try {
      const served = await sendThroughGuard(deps, request, provider, target, plan, 'countTokens', signal, state);
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
