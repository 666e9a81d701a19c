import type { IncomingHttpHeaders } from 'node:http';
import type { WireFormat } from '../../../shared/wire-format.ts';
import type { UsageReading } from '../formats/token-usage/usage-reading.ts';
import type { ProviderConfig, ProviderType } from '../../../shared/config/provider-schema.ts';
import type { ProxyError } from '../errors/proxy-error.ts';

/** What one upstream call does: chat generation, token counting, embeddings, or image generation. */
export type UpstreamOperation = 'generate' | 'countTokens' | 'embed' | 'generateImage';

/** The wire family an upstream speaks for embeddings or image generation (docs/translation.md "Embeddings", "Images"). */
export type SideApiFamily = 'openai' | 'gemini';

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
  /** The body about to be sent, for the few headers that depend on it (Copilot's X-Initiator). */
  body?: Buffer;
  /** A signed-in account's Google Cloud project (gemini-cli), which goes into the body. */
  project?: string;
  /** A signed-in Kiro account's CodeWhisperer profile ARN, which goes into the body. */
  profileArn?: string;
}

export interface PreparedRequest {
  path: string;
  headers: Record<string, string>;
  /** The body to send instead of the planned one, when it carries something of the credential (Code Assist's project). */
  body?: Buffer;
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

/** How to ask a provider which models it serves (GET, same auth as a model request). */
export interface ModelListCall {
  endpoint: ProviderEndpoint;
  credential: string;
  configHeaders?: Record<string, string>;
  /** A signed-in Kiro account's CodeWhisperer profile ARN. */
  profileArn?: string;
}

/**
 * For an upstream whose wire differs from every client format (Ollama's native /api/chat with NDJSON streaming):
 * the adapter converts at the edge, so the rest of the pipeline sees the adapter's first native format.
 */
export interface WireCodec {
  /** The body in the adapter's first native format -> the bytes the upstream takes. */
  encodeRequest(body: Buffer, options: { model: string; stream: boolean; operation?: UpstreamOperation }): Buffer;
  /** A complete upstream answer -> the same answer in the native format. `model`: the upstream model asked for. */
  decodeResponse(body: Buffer, options?: { model: string }): Buffer;
  /** Upstream stream bytes -> stream bytes of the native format (SSE), chunk by chunk. */
  createStreamDecoder(options: { includeUsage: boolean; model?: string }): { push(chunk: Buffer): string; end(): string };
  /** Reads the tokens the upstream reports in its own wire (for the usage ledger). */
  usage: UsageReading;
  /** The upstream streams even when asked for a whole answer (decodeResponse collects it): read its usage as a stream. */
  answersAreStreams?: boolean;
}

/**
 * Everything Switchyard knows about one kind of upstream: default base URL, which wire formats it accepts, how to
 * authenticate and address a request, and how to read its errors (docs/wire-formats.md). Adapters are pure: no I/O here.
 */
export interface ProviderAdapter {
  readonly type: ProviderType;
  readonly defaultBaseUrl: string;
  /** Wire formats the upstream accepts, the preferred one first. A client in one of these is passed through. */
  readonly nativeFormats: readonly WireFormat[];
  /** Formats in which the upstream can count tokens exactly (count_tokens / countTokens). */
  readonly countTokensFormats: readonly WireFormat[];
  /**
   * Client request headers this adapter forwards upstream (lower case). They change the answer, so they are part
   * of the dedup key too.
   */
  readonly forwardedClientHeaders?: readonly string[];
  /** Rate-limit response header families the provider sends (read by the guard; listed for docs and the dashboard). */
  readonly rateLimitHeaders: readonly string[];
  /** False for local upstreams that take no key (Ollama); see key-requirement.ts for what follows from it. */
  readonly requiresKey?: boolean;
  /** Models served when the config lists none and none could be fetched (preset defaults). */
  readonly defaultModels?: readonly string[];
  /**
   * The upstream serves embeddings, in this wire family (OpenAI's POST /embeddings or Gemini's :batchEmbedContents).
   * Absent: it does not; combos skip it for embeddings and a direct request is refused naming it.
   */
  readonly embeddings?: SideApiFamily;
  /** The upstream generates images: OpenAI's POST /images/generations, or Gemini image models via generateContent. */
  readonly imageGeneration?: SideApiFamily;
  /** Set when the upstream's wire is not one of the client formats (see WireCodec). */
  readonly wire?: WireCodec;
  endpoint(baseUrl: string): ProviderEndpoint;
  prepare(call: UpstreamCall): PreparedRequest;
  classifyError(response: UpstreamErrorResponse, context: ErrorContext): ProxyError;
  /**
   * A failure the provider reports inside a 2xx non-streaming answer (MiniMax's `base_resp`), as the error it stands
   * for; undefined for a real answer. Must be cheap for the common case: it sees every buffered answer.
   */
  errorInAnswer?(body: Buffer, context: ErrorContext): ProxyError | undefined;
  /** The request that lists the provider's models, when it offers one. */
  listModels?(call: ModelListCall): PreparedRequest;
  /** Model ids out of the answer to `listModels`. */
  parseModelList?(body: string): string[];
  /** An adapter bound to one provider's settings (preset, auth style, Ollama API, attribution headers). */
  withSettings?(settings: ProviderConfig): ProviderAdapter;
}

/** The adapter for one provider's settings: `withSettings` when the kind has settings, the kind's adapter otherwise. */
export function configuredAdapter(adapter: ProviderAdapter, settings: ProviderConfig): ProviderAdapter {
  return adapter.withSettings ? adapter.withSettings(settings) : adapter;
}

/** Splits a base URL into origin and path prefix. */
export function parseEndpoint(baseUrl: string): ProviderEndpoint {
  const url = new URL(baseUrl);
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}
