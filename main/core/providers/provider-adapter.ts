import type { IncomingHttpHeaders } from 'node:http';
import type { WireFormat } from '../../../shared/wire-format.ts';
import type { ProviderType } from '../../../shared/config/provider-schema.ts';
import type { ProxyError } from '../errors/proxy-error.ts';

export type UpstreamOperation = 'generate' | 'countTokens';

/** Where a provider lives, parsed once from its base URL when the config loads (not per request). */
export interface ProviderEndpoint {
  /** `https://api.openai.com` — what the connection pool is keyed on. */
  origin: string;
  /** Path prefix from the base URL without a trailing slash, e.g. `/v1` or `` . */
  basePath: string;
}

export interface UpstreamCall {
  endpoint: ProviderEndpoint;
  /** The wire format of the body being sent; always one of the adapter's nativeFormats. */
  format: WireFormat;
  operation: UpstreamOperation;
  model: string;
  stream: boolean;
  credential: string;
  /** Headers of the client's request, for the few that are forwarded (e.g. anthropic-beta). */
  clientHeaders: IncomingHttpHeaders;
  /** Extra headers from the provider's config. */
  configHeaders?: Record<string, string>;
  /** The client's query string parameters that matter upstream (e.g. Gemini `alt`, Anthropic `beta`). */
  clientQuery?: URLSearchParams;
}

export interface PreparedRequest {
  path: string;
  headers: Record<string, string>;
}

export interface UpstreamErrorResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface ErrorContext {
  providerId: string;
  keyId?: string;
  now: number;
}

/**
 * Everything Switchyard knows about one kind of upstream: default base URL, which wire formats it accepts, how to
 * authenticate and address a request, and how to read its errors (PROTOCOLS.md). Adapters are pure: no I/O here.
 */
export interface ProviderAdapter {
  readonly type: ProviderType;
  readonly defaultBaseUrl: string;
  /** Wire formats the upstream accepts, the preferred one first. A client in one of these is passed through. */
  readonly nativeFormats: readonly WireFormat[];
  /** Formats in which the upstream can count tokens exactly (count_tokens / countTokens). */
  readonly countTokensFormats: readonly WireFormat[];
  endpoint(baseUrl: string): ProviderEndpoint;
  prepare(call: UpstreamCall): PreparedRequest;
  classifyError(response: UpstreamErrorResponse, context: ErrorContext): ProxyError;
}

/** Splits a base URL into origin and path prefix. */
export function parseEndpoint(baseUrl: string): ProviderEndpoint {
  const url = new URL(baseUrl);
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}
