import type { WireFormat } from '../../../shared/wire-format.ts';
import type { RuntimeProvider } from '../config/runtime-config.ts';
import type { RouteTarget } from '../router/route-target.ts';
import { targetLabel } from '../router/route-target.ts';
import type { ModelRequest } from './model-request.ts';
import type { PipelineDeps } from './pipeline-deps.ts';
import type { RequestContext } from './request-context.ts';

/** What the request path carries across the targets of one request. */
export interface RequestState {
  attempts: number;
  lastTarget?: RouteTarget;
  lastUpstreamFormat?: WireFormat;
}

/** One request being served by one target: everything the steps of that attempt need. */
export interface TargetCall {
  deps: PipelineDeps;
  context: RequestContext;
  /** The client's request, shaped for this target. */
  request: ModelRequest;
  provider: RuntimeProvider;
  target: RouteTarget;
  state: RequestState;
}

/** x-switchyard-target / x-switchyard-attempts: what served the request and how many sends it took. */
export function resultHeaders(state: RequestState): Record<string, string> {
  const headers: Record<string, string> = { 'x-switchyard-attempts': String(state.attempts) };
  if (state.lastTarget) headers['x-switchyard-target'] = headerSafe(targetLabel(state.lastTarget));
  return headers;
}

const unsafeInHeader = /[^\x20-\x24\x26-\x7e]/u;

/**
 * Model names come from the client and may hold characters Node refuses in a header (`€`, CJK, a newline, a NUL);
 * writing one would throw after the upstream was called. Such values are sent percent-encoded as UTF-8 (and `%`
 * itself, so the encoding is unambiguous); plain names stay exactly as they are.
 */
export function headerSafe(value: string): string {
  if (!unsafeInHeader.test(value)) return value;
  let safe = '';
  for (const character of value) {
    if (!unsafeInHeader.test(character)) safe += character;
    else for (const byte of Buffer.from(character, 'utf8')) safe += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return safe;
}
