import type { ProviderType } from '../../../../shared/config/provider-schema.ts';
import type { ErrorContext, ModelListCall, PreparedRequest, ProviderAdapter, UpstreamCall, UpstreamErrorResponse } from '../provider-adapter.ts';
import { parseEndpoint } from '../provider-adapter.ts';
import { parseJsonQuietly } from '../../formats/canonical/json-values.ts';
import { classifyHttpError, soundsOutOfCredit } from './classify-http-error.ts';
import { parseDataIds } from './model-list.ts';
import { userAgent } from './user-agent.ts';
import { clientHeaderText, upstreamHeaders } from './upstream-headers.ts';

// Anthropic Messages API (docs/wire-formats.md, Anthropic Messages): POST {base}/v1/messages, x-api-key, anthropic-version.
// Model list: GET {base}/v1/models?limit=1000 -> {"data":[{"id":…}]}.

const defaultVersion = '2023-06-01';

export const anthropicRateLimitHeaders = [
  'anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}',
  'retry-after',
] as const;

/** Path under the base URL: accepts bases written with or without the trailing /v1. */
function versionedPath(basePath: string, rest: string): string {
  return basePath.endsWith('/v1') ? `${basePath}/${rest}` : `${basePath}/v1/${rest}`;
}

export interface AnthropicStyleOptions {
  type: ProviderType;
  defaultBaseUrl: string;
  /** Some Anthropic-compatible hosts want `Authorization: Bearer` instead of `x-api-key`. */
  auth?: 'x-api-key' | 'bearer';
  defaultModels?: readonly string[];
}

export function classifyAnthropicError(response: UpstreamErrorResponse, context: ErrorContext) {
  const parsed = parseJsonQuietly(response.body) as
    | { error?: { type?: string; message?: string; details?: { error_code?: string } } }
    | undefined;
  const error = parsed?.error;
  const message = typeof error?.message === 'string' ? error.message : undefined;
  return classifyHttpError(response, context, {
    message,
    upstreamType: typeof error?.type === 'string' ? error.type : undefined,
    // A spend limit is not a rate limit: waiting a few seconds will not help. Anthropic reports an empty credit
    // balance as a 400 invalid_request_error ("Your credit balance is too low…"): that is the key's problem.
    quotaExhausted:
      error?.details?.error_code === 'enforced_spend_limit_reached' || error?.type === 'billing_error' || soundsOutOfCredit(message),
  });
}

export function createAnthropicStyleAdapter(options: AnthropicStyleOptions): ProviderAdapter {
  const authHeaders = (credential: string): Record<string, string> =>
    options.auth === 'bearer' ? { authorization: `Bearer ${credential}` } : { 'x-api-key': credential };
  return {
    type: options.type,
    defaultBaseUrl: options.defaultBaseUrl,
    nativeFormats: ['anthropic'],
    countTokensFormats: ['anthropic'],
    forwardedClientHeaders: ['anthropic-version', 'anthropic-beta'],
    rateLimitHeaders: anthropicRateLimitHeaders,
    defaultModels: options.defaultModels,
    endpoint: parseEndpoint,
    prepare(call: UpstreamCall): PreparedRequest {
      const headers = upstreamHeaders({
        defaults: { 'content-type': 'application/json', 'user-agent': userAgent, 'anthropic-version': defaultVersion },
        forwarded: {
          'anthropic-version': clientHeaderText(call.clientHeaders['anthropic-version']),
          // Betas (interleaved thinking, 1M context, ...): the client's choice, sent as it wrote them.
          'anthropic-beta': clientHeaderText(call.clientHeaders['anthropic-beta']) || undefined,
        },
        configured: call.configHeaders,
        auth: authHeaders(call.credential),
      });
      let path = versionedPath(call.endpoint.basePath, 'messages');
      if (call.operation === 'countTokens') path += '/count_tokens';
      if (call.clientQuery?.get('beta') === 'true') path += '?beta=true';
      return { path, headers };
    },
    classifyError: classifyAnthropicError,
    listModels(call: ModelListCall): PreparedRequest {
      return {
        path: `${versionedPath(call.endpoint.basePath, 'models')}?limit=1000`,
        headers: upstreamHeaders({
          defaults: { accept: 'application/json', 'user-agent': userAgent, 'anthropic-version': defaultVersion },
          configured: call.configHeaders,
          auth: authHeaders(call.credential),
        }),
      };
    },
    parseModelList: parseDataIds,
  };
}
