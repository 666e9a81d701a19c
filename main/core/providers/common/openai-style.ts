import type { WireFormat } from '../../../../shared/wire-format.ts';
import type { ProviderType } from '../../../../shared/config/provider-schema.ts';
import type { ErrorContext, PreparedRequest, ProviderAdapter, UpstreamCall, UpstreamErrorResponse } from '../provider-adapter.ts';
import { parseEndpoint } from '../provider-adapter.ts';
import { classifyHttpError, parseJsonQuietly } from './classify-http-error.ts';
import { userAgent } from './user-agent.ts';

// OpenAI Chat Completions and Responses (PROTOCOLS.md §2-3): POST {base}/chat/completions | {base}/responses,
// Authorization: Bearer. Base URLs include the version (https://api.openai.com/v1), as in the OpenAI SDKs.

export interface OpenaiStyleOptions {
  type: ProviderType;
  defaultBaseUrl: string;
  nativeFormats: readonly WireFormat[];
  extraHeaders?: Record<string, string>;
}

export function classifyOpenaiError(response: UpstreamErrorResponse, context: ErrorContext) {
  const parsed = parseJsonQuietly(response.body) as
    | { error?: { message?: string; type?: string; code?: string | null; resets_at?: number; resets_in_seconds?: number } }
    | undefined;
  const error = parsed?.error;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const type = typeof error?.type === 'string' ? error.type : undefined;
  // insufficient_quota: billing, not a rate limit. usage_limit_reached: a ChatGPT plan window (PROTOCOLS.md §7).
  const quotaExhausted = code === 'insufficient_quota' || type === 'insufficient_quota' || type === 'usage_limit_reached';
  let resetAt: number | undefined;
  if (typeof error?.resets_at === 'number') resetAt = error.resets_at * 1000;
  else if (typeof error?.resets_in_seconds === 'number') resetAt = context.now + error.resets_in_seconds * 1000;
  return classifyHttpError(response, context, {
    message: typeof error?.message === 'string' ? error.message : undefined,
    upstreamType: code ?? type,
    quotaExhausted,
    resetAt,
  });
}

export function createOpenaiStyleAdapter(options: OpenaiStyleOptions): ProviderAdapter {
  return {
    type: options.type,
    defaultBaseUrl: options.defaultBaseUrl,
    nativeFormats: options.nativeFormats,
    countTokensFormats: [],
    endpoint: parseEndpoint,
    prepare(call: UpstreamCall): PreparedRequest {
      const path = call.format === 'openai-responses' ? `${call.endpoint.basePath}/responses` : `${call.endpoint.basePath}/chat/completions`;
      return {
        path,
        headers: {
          'content-type': 'application/json',
          'user-agent': userAgent,
          authorization: `Bearer ${call.credential}`,
          ...options.extraHeaders,
          ...call.configHeaders,
        },
      };
    },
    classifyError: classifyOpenaiError,
  };
}
