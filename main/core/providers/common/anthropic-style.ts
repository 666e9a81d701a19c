import type { ProviderType } from '../../../../shared/config/provider-schema.ts';
import type { ErrorContext, PreparedRequest, ProviderAdapter, UpstreamCall, UpstreamErrorResponse } from '../provider-adapter.ts';
import { parseEndpoint } from '../provider-adapter.ts';
import { classifyHttpError, parseJsonQuietly } from './classify-http-error.ts';
import { userAgent } from './user-agent.ts';

// Anthropic Messages API (PROTOCOLS.md §1): POST {base}/v1/messages, x-api-key, anthropic-version.

const defaultVersion = '2023-06-01';

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** Path under the base URL: accepts bases written with or without the trailing /v1. */
function messagesPath(basePath: string): string {
  return basePath.endsWith('/v1') ? `${basePath}/messages` : `${basePath}/v1/messages`;
}

export interface AnthropicStyleOptions {
  type: ProviderType;
  defaultBaseUrl: string;
  /** Some Anthropic-compatible hosts want `Authorization: Bearer` instead of `x-api-key`. */
  auth?: 'x-api-key' | 'bearer';
}

export function classifyAnthropicError(response: UpstreamErrorResponse, context: ErrorContext) {
  const parsed = parseJsonQuietly(response.body) as
    | { error?: { type?: string; message?: string; details?: { error_code?: string } } }
    | undefined;
  const error = parsed?.error;
  return classifyHttpError(response, context, {
    message: typeof error?.message === 'string' ? error.message : undefined,
    upstreamType: typeof error?.type === 'string' ? error.type : undefined,
    // A spend limit is not a rate limit: waiting a few seconds will not help.
    quotaExhausted: error?.details?.error_code === 'enforced_spend_limit_reached' || error?.type === 'billing_error',
  });
}

export function createAnthropicStyleAdapter(options: AnthropicStyleOptions): ProviderAdapter {
  return {
    type: options.type,
    defaultBaseUrl: options.defaultBaseUrl,
    nativeFormats: ['anthropic'],
    countTokensFormats: ['anthropic'],
    endpoint: parseEndpoint,
    prepare(call: UpstreamCall): PreparedRequest {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': userAgent,
        'anthropic-version': headerText(call.clientHeaders['anthropic-version']) ?? defaultVersion,
        ...call.configHeaders,
      };
      if (options.auth === 'bearer') headers.authorization = `Bearer ${call.credential}`;
      else headers['x-api-key'] = call.credential;
      // Betas (interleaved thinking, 1M context, ...) only mean something for an Anthropic-format body.
      const beta = call.format === 'anthropic' ? headerText(call.clientHeaders['anthropic-beta']) : undefined;
      if (beta) headers['anthropic-beta'] = beta;
      let path = messagesPath(call.endpoint.basePath);
      if (call.operation === 'countTokens') path += '/count_tokens';
      if (call.clientQuery?.get('beta') === 'true') path += '?beta=true';
      return { path, headers };
    },
    classifyError: classifyAnthropicError,
  };
}
