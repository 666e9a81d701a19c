import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { WireFormat } from '../../../shared/wire-format.ts';
import type { RuntimeConfig } from '../config/runtime-config.ts';
import type { CatalogEntry } from '../router/model-catalog.ts';
import { ProxyError, requestError, toProxyError } from '../errors/proxy-error.ts';
import { codecFor } from '../formats/codecs.ts';
import { handleModelRequest } from '../pipeline/handle-model-request.ts';
import type { ModelRequest } from '../pipeline/model-request.ts';
import type { PipelineDeps } from '../pipeline/pipeline-deps.ts';
import { RequestUsage } from '../pipeline/request-usage.ts';
import type { ClientAllowlist } from './client-allowlist.ts';
import { clientAllowlist } from './client-allowlist.ts';
import { requestTraits } from '../router/request-traits.ts';
import type { ClientKeyCheck } from './client-auth.ts';
import { KeyChecker, presentedClientKey, presentedManagementToken } from './client-auth.ts';
import { isAllowedHost, isAllowedOrigin } from './host-check.ts';
import type { InboundRoute } from './inbound-routes.ts';
import { formatForPath, matchRoute } from './inbound-routes.ts';
import { modelsResponse } from './list-models.ts';
import { limitConnections } from './connection-limits.ts';
import { maxJsonDepth, nestsDeeperThan } from './json-depth.ts';
import type { ManagementRouter } from './management-router.ts';
import { readBody } from './read-body.ts';
import { sendError, sendJson } from './send.ts';
import { stopReading } from './stop-reading.ts';
import { FailedKeyThrottle } from './failed-key-throttle.ts';
import type { RecentClients } from './recent-clients.ts';
import { serveStatic } from './static-files.ts';
import { healthBody } from './health-body.ts';
import { holdResponseEnd } from './hold-response-end.ts';
import { captureClientAnswer } from './capture-client-answer.ts';
import type { RequestCapture } from '../usage/request-log/request-capture.ts';

export interface ServerDeps extends PipelineDeps {
  /** The current config snapshot; read once per request (RequestContext.runtime). */
  runtime(): RuntimeConfig;
  /** Model lists fetched from the providers, for GET /v1/models (configured lists when absent). */
  modelCatalog?: { refresh(runtime: RuntimeConfig): Promise<CatalogEntry[]> };
  management: ManagementRouter;
  /** Built dashboard for web mode (dist/renderer); absent when not built. */
  uiDir?: string;
  /** Per-tool client keys (config/named-client-keys.ts), accepted beside the configured ones and checked live. */
  namedClientKeys?: ClientKeyCheck;
  /** Who connected recently (the dashboard's Network panel); nothing is recorded without it. */
  recentClients?: RecentClients;
}

/** Per-config derived state, computed once per config rather than per request. */
interface Access {
  clientKeys: KeyChecker;
  managementToken: KeyChecker;
  allowedHosts: Set<string>;
}

const accessCache = new WeakMap<RuntimeConfig, Access>();

function accessFor(runtime: RuntimeConfig): Access {
  let access = accessCache.get(runtime);
  if (!access) {
    access = {
      clientKeys: new KeyChecker(runtime.clientKeys),
      managementToken: new KeyChecker([runtime.managementToken]),
      allowedHosts: new Set(runtime.config.server.allowedHosts.map((host) => host.toLowerCase())),
    };
    accessCache.set(runtime, access);
  }
  return access;
}

function splitUrl(raw: string | undefined): { pathname: string; query: URLSearchParams } {
  const url = raw ?? '/';
  const mark = url.indexOf('?');
  return mark === -1 ? { pathname: url, query: new URLSearchParams() } : { pathname: url.slice(0, mark), query: new URLSearchParams(url.slice(mark + 1)) };
}

/** The HTTP edge: host/origin checks, client auth, routing, body limits, and errors in the caller's format. */
export function createHttpServer(deps: ServerDeps): Server {
  const initial = deps.runtime().config.server;
  // Node checks headersTimeout on an interval; a short one keeps the cut close to the documented time.
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 300_000, headersTimeout: initial.headersTimeoutMs, connectionsCheckingInterval: 1_000 }, (request, response) => {
    handle(deps, request, response).catch((error: unknown) => {
      deps.logger.error('unexpected error while handling a request', { path: request.url, error: String(error) });
      if (!response.headersSent) sendError(response, formatForPath(splitUrl(request.url).pathname), toProxyError(error));
      else response.destroy();
    });
  });
  // Malformed HTTP (not even a request line): answer 400 and close instead of leaving the socket hanging.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  limitConnections(server, {
    allowlist: () => allowlistFor(deps.runtime()),
    maxConnections: () => deps.runtime().config.server.maxConnections,
    headersTimeoutMs: () => deps.runtime().config.server.headersTimeoutMs,
    onRefused: (address, why) => deps.recentClients?.refused(address, why),
  });
  return server;
}

const allowlistCache = new WeakMap<RuntimeConfig, ClientAllowlist>();
/** Wrong keys and tokens per client address, for the whole process (docs/security.md). */
const failedKeys = new FailedKeyThrottle();

/**
 * Waits as long as the throttle says for this address's refusal; a client that left meanwhile is not waited for.
 * Counted for the dashboard as a wrong key, and as throttled when it was slowed down.
 */
async function refusalDelay(deps: ServerDeps, request: IncomingMessage): Promise<void> {
  const address = request.socket.remoteAddress;
  const wait = failedKeys.failed(address);
  deps.recentClients?.refused(address, 'badKey');
  if (wait > 0) {
    deps.recentClients?.refused(address, 'throttled');
    await new Promise((resolve) => setTimeout(resolve, wait).unref());
  }
}

/** How a presented client key identifies its holder on the dashboard (never the key): undefined when it is not valid. */
function clientKeyLabel(deps: ServerDeps, access: Access, presented: string | undefined): string | undefined {
  if (access.clientKeys.matches(presented)) return 'client key';
  const named = deps.namedClientKeys;
  if (!named) return undefined;
  if (named.find) return named.find(presented)?.name;
  return named.matches(presented) ? 'named client key' : undefined;
}

/** Parsed once per config; the config validator has already refused entries that do not parse. */
function allowlistFor(runtime: RuntimeConfig): ClientAllowlist {
  let allowlist = allowlistCache.get(runtime);
  if (!allowlist) {
    allowlist = clientAllowlist(runtime.config.server.allowedClients);
    allowlistCache.set(runtime, allowlist);
  }
  return allowlist;
}

async function handle(deps: ServerDeps, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const runtime = deps.runtime();
  const access = accessFor(runtime);
  const { pathname, query } = splitUrl(request.url);
  const method = request.method ?? 'GET';

  if (!isAllowedHost(request.headers.host, access.allowedHosts) || !isAllowedOrigin(request.headers.origin, request.headers.host, access.allowedHosts)) {
    stopReading(request, response);
    sendError(response, formatForPath(pathname), new ProxyError({ code: 'forbidden_host', status: 403, message: 'Host or Origin not allowed (see server.allowedHosts in docs/configuration.md).', scope: 'request' }));
    return;
  }

  const route = matchRoute(method, pathname, request.headers['anthropic-version'] !== undefined, request.headers['x-goog-api-key'] !== undefined || request.headers['x-goog-api-client'] !== undefined);
  switch (route.kind) {
    case 'health':
      stopReading(request, response);
      sendJson(response, 200, healthBody(deps.guard));
      return;
    case 'static':
      stopReading(request, response);
      await serveStatic(response, deps.uiDir, route.path);
      return;
    case 'management':
      await handleManagement(deps, access, request, response, pathname, query);
      return;
    case 'not-found':
      stopReading(request, response);
      sendError(response, route.format, requestError('not_found', 404, `No route ${method} ${pathname}. See docs/clients.md for the endpoints Switchyard serves.`));
      return;
    case 'method-not-allowed':
      stopReading(request, response);
      sendError(response, route.format, requestError('method_not_allowed', 405, `${method} is not allowed on ${pathname}; use ${route.allow}.`), { headers: { allow: route.allow } });
      return;
    default:
      break;
  }

  const format: WireFormat = route.kind === 'model' ? route.format : route.shape === 'gemini' ? 'gemini' : route.shape === 'anthropic' ? 'anthropic' : 'openai-chat';
  const presented = presentedClientKey(request, query);
  const keyLabel = clientKeyLabel(deps, access, presented);
  if (keyLabel === undefined) {
    stopReading(request, response);
    await refusalDelay(deps, request);
    sendError(response, format, new ProxyError({ code: 'unauthorized', status: 401, message: 'Missing or wrong Switchyard client key. Send it as x-api-key, Authorization: Bearer, x-goog-api-key or ?key= (the key is printed when `serve` starts and shown in the app).', scope: 'request' }));
    return;
  }
  failedKeys.succeeded(request.socket.remoteAddress);
  deps.recentClients?.request(request.socket.remoteAddress, keyLabel);

  if (route.kind === 'list-models') {
    stopReading(request, response);
    sendJson(response, 200, modelsResponse(runtime.config, route.shape, await deps.modelCatalog?.refresh(runtime)));
    return;
  }

  await handleModelRoute(deps, runtime, route, request, response, query);
}

async function handleModelRoute(
  deps: ServerDeps,
  runtime: RuntimeConfig,
  route: Extract<InboundRoute, { kind: 'model' }>,
  request: IncomingMessage,
  response: ServerResponse,
  query: URLSearchParams,
): Promise<void> {
  // Token counting is not a generation: it is answered (often locally) but not recorded in the usage ledger.
  const usage = new RequestUsage(route.operation === 'countTokens' ? undefined : deps.usage, deps.now, route.format, route.pathModel ?? '');
  // The answer's last byte waits for its usage row to be committed (group commit, next turn of the event loop).
  const sink = usage.active ? deps.usage : undefined;
  const held = sink?.afterWrite ? holdResponseEnd(response) : undefined;
  // The opt-in request log: undefined (and nothing else done) unless it is on.
  const capture = route.operation === 'countTokens' ? undefined : deps.requestLog?.begin(route.format);
  if (capture) captureClientAnswer(response, capture);
  try {
    await serveModelRoute(deps, runtime, route, request, response, query, usage, capture);
  } finally {
    if (held) sink!.afterWrite!(held.release);
    if (capture) deps.requestLog!.complete(capture);
  }
}

async function serveModelRoute(
  deps: ServerDeps,
  runtime: RuntimeConfig,
  route: Extract<InboundRoute, { kind: 'model' }>,
  request: IncomingMessage,
  response: ServerResponse,
  query: URLSearchParams,
  usage: RequestUsage,
  capture: RequestCapture | undefined,
): Promise<void> {
  const format = route.format;
  /** A request refused before any provider was asked: answered in the client's format, recorded as refused. */
  const refuse = (error: ProxyError, options?: { headers?: Record<string, string> }) => {
    sendError(response, format, error, options);
    usage.finish({ status: error.status, aborted: false, error }, undefined);
  };
  let rawBody: Buffer;
  try {
    rawBody = await readBody(request, runtime.config.server.maxBodyBytes);
    capture?.received(request.method ?? 'POST', request.url ?? '/', request.headers, rawBody);
  } catch (error) {
    capture?.received(request.method ?? 'POST', request.url ?? '/', request.headers, Buffer.alloc(0));
    stopReading(request, response);
    refuse(toProxyError(error));
    return;
  }
  if (nestsDeeperThan(rawBody)) {
    refuse(requestError('invalid_request', 400, `The request body nests objects or arrays more than ${maxJsonDepth} levels deep.`));
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch (error) {
    refuse(requestError('invalid_json', 400, `The request body is not valid JSON: ${(error as Error).message}`));
    return;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    refuse(requestError('invalid_request', 400, 'The request body must be a JSON object.'));
    return;
  }
  const record = body as Record<string, unknown>;
  const model = route.pathModel ?? record.model;
  if (typeof model !== 'string' || model.trim() === '') {
    const message = model === undefined ? 'The request has no "model". Name a model as provider-id/model, a combo, or a model of the active combo.' : '"model" must be a non-empty string.';
    refuse(requestError('missing_model', 400, message));
    return;
  }
  if (record.stream !== undefined && typeof record.stream !== 'boolean' && codecFor(format).streamInBody) {
    refuse(requestError('invalid_request', 400, '"stream" must be true or false.'));
    return;
  }

  const controller = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  const modelRequest: ModelRequest = {
    format,
    operation: route.operation,
    rawBody,
    body: record,
    model,
    stream: route.pathStream ?? record.stream === true,
    headers: request.headers,
    query,
    ...(route.singleContent ? { singleContent: true } : {}),
  };
  usage.requestedModel = model;
  if (capture) capture.requestedModel = model;
  const answer = await handleModelRequest(deps, { runtime, request: modelRequest, response, signal: controller.signal, traits: requestTraits(format, record), usage, ...(capture ? { capture } : {}) });
  if (answer.kind !== 'done') deps.stepProbe?.('write', { model });
  if (answer.kind === 'json') sendJson(response, answer.status, answer.body, answer.headers);
  else if (answer.kind === 'error') sendError(response, format, answer.error, { upstreamFormat: answer.upstreamFormat, headers: answer.headers });
  // After the client has its answer: reading the usage of a whole body is not on its critical path.
  const error = answer.kind === 'json' ? undefined : answer.error;
  usage.finish({ status: answer.kind === 'error' ? answer.error.status : answer.kind === 'json' ? answer.status : response.statusCode, aborted: controller.signal.aborted, ...(error ? { error } : {}) }, record);
}

async function handleManagement(
  deps: ServerDeps,
  access: Access,
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
  query: URLSearchParams,
): Promise<void> {
  const fail = (status: number, code: ProxyError['code'], message: string) =>
    sendJson(response, status, JSON.stringify({ error: { code, message } }));
  const method = request.method ?? 'GET';
  const found = deps.management.match(method, pathname);
  // Only the web sign-in exchange is public (it trades a one-time code for the token); everything else needs the token.
  const isPublic = typeof found === 'object' && found.public;
  if (!isPublic && !access.managementToken.matches(presentedManagementToken(request))) {
    stopReading(request, response);
    await refusalDelay(deps, request);
    fail(401, 'unauthorized', 'Missing or wrong management token (Authorization: Bearer <token>). `serve` prints where to find it.');
    return;
  }
  deps.recentClients?.request(request.socket.remoteAddress, isPublic ? undefined : 'management token');
  if (found === undefined || found === 'method-not-allowed') {
    stopReading(request, response);
    if (found === undefined) fail(404, 'not_found', `No management route ${pathname}.`);
    else fail(405, 'method_not_allowed', `${method} is not allowed on ${pathname}.`);
    return;
  }
  let body: unknown;
  if (method !== 'GET' && method !== 'HEAD') {
    // Only JSON: a page elsewhere can send text/plain or form bodies without a CORS preflight; JSON it cannot.
    if (carriesBody(request) && !isJson(request.headers['content-type'])) {
      stopReading(request, response);
      fail(415, 'unsupported', `The management API takes JSON bodies only: send content-type: application/json (got ${request.headers['content-type'] ?? 'none'}).`);
      return;
    }
    try {
      const raw = await readBody(request, 1024 * 1024);
      if (nestsDeeperThan(raw)) {
        fail(400, 'invalid_request', `The request body nests objects or arrays more than ${maxJsonDepth} levels deep.`);
        return;
      }
      body = raw.length === 0 ? undefined : JSON.parse(raw.toString('utf8'));
    } catch (error) {
      stopReading(request, response);
      const failure = toProxyError(error);
      fail(failure.code === 'internal' ? 400 : failure.status, failure.code === 'internal' ? 'invalid_json' : failure.code, failure.code === 'internal' ? 'The request body is not valid JSON.' : failure.message);
      return;
    }
  }
  const url = new URL(`http://localhost${pathname}?${query.toString()}`);
  try {
    const result = await found.handler({ request, response, url, params: found.params, body });
    if (!response.headersSent && !response.writableEnded) sendJson(response, 200, JSON.stringify(result ?? { ok: true }));
  } catch (error) {
    const failure = toProxyError(error);
    if (failure.code === 'internal') deps.logger.error('management route failed', { path: pathname, error: failure.message });
    if (!response.headersSent) fail(failure.status, failure.code, failure.message);
  }
}

function carriesBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return length !== undefined ? Number(length) > 0 : request.headers['transfer-encoding'] !== undefined;
}

function isJson(contentType: string | undefined): boolean {
  const media = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  return media === 'application/json';
}
