import type { WireFormat } from '../../../../shared/wire-format.ts';
import type { ProviderType } from '../../../../shared/config/provider-schema.ts';
import type { ProxyError } from '../../errors/proxy-error.ts';
import type { ErrorContext, ModelListCall, PreparedRequest, ProviderAdapter, UpstreamCall, UpstreamErrorResponse } from '../provider-adapter.ts';
import { parseEndpoint } from '../provider-adapter.ts';
import type { ErrorDetails } from './classify-http-error.ts';
import { parseJsonQuietly } from '../../formats/canonical/json-values.ts';
import { classifyHttpError, soundsOutOfCredit } from './classify-http-error.ts';
import { parseDataIds } from './model-list.ts';
import { userAgent } from './user-agent.ts';
import { upstreamHeaders } from './upstream-headers.ts';

// OpenAI Chat Completions and Responses (docs/wire-formats.md, OpenAI sections): POST {base}/chat/completions | {base}/responses,
// Authorization: Bearer. Base URLs include the version (https://api.openai.com/v1), as in the OpenAI SDKs.
// Model list: GET {base}/models -> {"data":[{"id":…}]}.

export const openaiRateLimitHeaders = ['x-ratelimit-{limit,remaining,reset}-{requests,tokens}', 'retry-after', 'retry-after-ms'] as const;

export interface OpenaiStyleOptions {
  type: ProviderType;
  defaultBaseUrl: string;
  nativeFormats: readonly WireFormat[];
  extraHeaders?: Record<string, string>;
  defaultModels?: readonly string[];
  rateLimitHeaders?: readonly string[];
  requiresKey?: boolean;
  /** Serves POST {base}/embeddings. */
  embeddings?: boolean;
  /** Serves POST {base}/images/generations. */
  imageGeneration?: boolean;
}

/** The path of each operation under an OpenAI-style base URL. */
export function openaiStylePath(call: Pick<UpstreamCall, 'endpoint' | 'format' | 'operation'>): string {
  if (call.operation === 'embed') return `${call.endpoint.basePath}/embeddings`;
  if (call.operation === 'generateImage') return `${call.endpoint.basePath}/images/generations`;
  return call.format === 'openai-responses' ? `${call.endpoint.basePath}/responses` : `${call.endpoint.basePath}/chat/completions`;
}

interface OpenaiErrorBody {
  error?: { message?: string; type?: string; code?: string | number | null; resets_at?: number; resets_in_seconds?: number };
  /** MiniMax puts its own code here, sometimes with a misleading HTTP status. */
  base_resp?: { status_code?: number; status_msg?: string };
}

// Zhipu (GLM) business codes, docs.bigmodel.cn/cn/api/rate-limit: 1113 out of balance / no resource package,
// 1302-1304 the account's rate or concurrency limit, 1305 the model as a whole is overloaded.
const zhipuCodes: Record<string, Partial<ErrorDetails>> = {
  '1113': { quotaExhausted: true },
  '1302': { treatAsStatus: 429 },
  '1303': { treatAsStatus: 429 },
  '1304': { treatAsStatus: 429 },
  '1305': { treatAsStatus: 503 },
};

// MiniMax base_resp codes, platform.minimax.io/docs/api-reference/errorcode: 1002 rate limit, 1004 / 2049 bad key,
// 1008 out of balance, 1000 / 1001 / 1024 / 1033 server side, 1039 / 2013 the request itself (token limit, input).
const minimaxCodes: Record<number, Partial<ErrorDetails>> = {
  1000: { treatAsStatus: 500 },
  1001: { treatAsStatus: 504 },
  1002: { treatAsStatus: 429 },
  1004: { treatAsStatus: 401 },
  2049: { treatAsStatus: 401 },
  1008: { quotaExhausted: true },
  1024: { treatAsStatus: 500 },
  1033: { treatAsStatus: 500 },
  1039: { treatAsStatus: 400 },
  2013: { treatAsStatus: 400 },
};

/**
 * OpenAI's error shape `{"error":{message,type,code}}`, plus the variants of OpenAI-compatible vendors: OpenRouter's
 * numeric `code`, Zhipu's business codes, Moonshot's error types, MiniMax's `base_resp`. What matters is which
 * failures move on to another key or target (429, out of credit, overload) and which are the request's fault.
 */
export function classifyOpenaiError(response: UpstreamErrorResponse, context: ErrorContext) {
  const parsed = parseJsonQuietly(response.body) as OpenaiErrorBody | undefined;
  const error = parsed?.error;
  const code = typeof error?.code === 'string' || typeof error?.code === 'number' ? String(error.code) : undefined;
  const type = typeof error?.type === 'string' ? error.type : undefined;
  const message = typeof error?.message === 'string' ? error.message : parsed?.base_resp?.status_msg;
  // insufficient_quota: billing, not a rate limit. usage_limit_reached: a ChatGPT plan window (docs/wire-formats.md, OpenAI Responses).
  // exceeded_current_quota_error: Moonshot's out-of-balance 429.
  let details: ErrorDetails = {
    message,
    upstreamType: code ?? type,
    quotaExhausted:
      code === 'insufficient_quota' ||
      type === 'insufficient_quota' ||
      type === 'usage_limit_reached' ||
      type === 'exceeded_current_quota_error' ||
      // Also a 400 or 403 that says the account is out of credit: that is about the key, not the request.
      soundsOutOfCredit(message),
  };
  if (typeof error?.resets_at === 'number') details.resetAt = error.resets_at * 1000;
  else if (typeof error?.resets_in_seconds === 'number') details.resetAt = context.now + error.resets_in_seconds * 1000;
  // Moonshot reports a saturated engine as 429 engine_overloaded_error: the provider is busy, not this key.
  if (type === 'engine_overloaded_error') details.treatAsStatus = 503;
  if (code && zhipuCodes[code]) details = { ...details, ...zhipuCodes[code] };
  const minimax = parsed?.base_resp?.status_code;
  if (typeof minimax === 'number' && minimaxCodes[minimax]) details = { ...details, ...minimaxCodes[minimax], upstreamType: String(minimax) };
  return classifyHttpError(response, context, details);
}

const baseRespNeedle = Buffer.from('"base_resp"');

/**
 * MiniMax can answer HTTP 200 with no completion and the real failure in `base_resp` (status_code 0 means success,
 * and successful answers carry it too). Such an answer is classified like an error answer; an unknown code counts as
 * the provider failing (502), never as a success with an empty completion.
 */
export function openaiErrorInAnswer(body: Buffer, context: ErrorContext): ProxyError | undefined {
  if (body.indexOf(baseRespNeedle) === -1) return undefined;
  const parsed = parseJsonQuietly(body.toString('utf8')) as OpenaiErrorBody | undefined;
  const code = parsed?.base_resp?.status_code;
  if (typeof code !== 'number' || code === 0) return undefined;
  return classifyOpenaiError({ status: 502, headers: {}, body: body.toString('utf8') }, context);
}

export function createOpenaiStyleAdapter(options: OpenaiStyleOptions): ProviderAdapter {
  const authHeaders = (credential: string): Record<string, string> =>
    options.requiresKey === false && credential === '' ? {} : { authorization: `Bearer ${credential}` };
  return {
    type: options.type,
    defaultBaseUrl: options.defaultBaseUrl,
    nativeFormats: options.nativeFormats,
    countTokensFormats: [],
    rateLimitHeaders: options.rateLimitHeaders ?? openaiRateLimitHeaders,
    requiresKey: options.requiresKey,
    defaultModels: options.defaultModels,
    ...(options.embeddings ? { embeddings: 'openai' as const } : {}),
    ...(options.imageGeneration ? { imageGeneration: 'openai' as const } : {}),
    endpoint: parseEndpoint,
    prepare(call: UpstreamCall): PreparedRequest {
      return {
        path: openaiStylePath(call),
        headers: upstreamHeaders({
          defaults: { 'content-type': 'application/json', 'user-agent': userAgent, ...options.extraHeaders },
          configured: call.configHeaders,
          auth: authHeaders(call.credential),
        }),
      };
    },
    classifyError: classifyOpenaiError,
    errorInAnswer: openaiErrorInAnswer,
    listModels(call: ModelListCall): PreparedRequest {
      return {
        path: `${call.endpoint.basePath}/models`,
        headers: upstreamHeaders({
          defaults: { accept: 'application/json', 'user-agent': userAgent, ...options.extraHeaders },
          configured: call.configHeaders,
          auth: authHeaders(call.credential),
        }),
      };
    },
    parseModelList: parseDataIds,
  };
}
