import type { ErrorContext, ModelListCall, PreparedRequest, ProviderAdapter, UpstreamCall, UpstreamErrorResponse } from '../provider-adapter.ts';
import { parseEndpoint } from '../provider-adapter.ts';
import { parseJsonQuietly } from '../../formats/canonical/json-values.ts';
import { classifyHttpError } from '../common/classify-http-error.ts';
import { parseModelNames } from '../common/model-list.ts';
import { nextPacificMidnight, parseProtobufDuration } from '../common/retry-hints.ts';
import { upstreamHeaders } from '../common/upstream-headers.ts';
import { userAgent } from '../common/user-agent.ts';

// Gemini API on AI Studio (docs/wire-formats.md, Gemini API): POST {base}/v1beta/models/{model}:generateContent,
// :streamGenerateContent?alt=sse, :countTokens; auth header x-goog-api-key. The model is in the URL, not the body.
// Embeddings: :batchEmbedContents (ai.google.dev/api/embeddings); images: image models answer :generateContent with
// inlineData parts when generationConfig.responseModalities includes IMAGE (ai.google.dev/gemini-api/docs/image-generation).
// Model list: GET {base}/v1beta/models?pageSize=1000 -> {"models":[{"name":"models/…","supportedGenerationMethods":[…]}]}.

interface GoogleErrorDetail {
  '@type'?: string;
  retryDelay?: string;
  reason?: string;
  metadata?: { quotaResetDelay?: string };
  violations?: Array<{ quotaId?: string; quotaMetric?: string }>;
}

export function classifyGeminiError(response: UpstreamErrorResponse, context: ErrorContext) {
  const parsed = parseJsonQuietly(response.body);
  // Some Google front ends wrap the error document in a one-element array.
  const document = (Array.isArray(parsed) ? parsed[0] : parsed) as
    | { error?: { message?: string; status?: string; details?: GoogleErrorDetail[] } }
    | undefined;
  const error = document?.error;
  const details = Array.isArray(error?.details) ? error.details : [];
  let retryAfterMs: number | undefined;
  let quotaExhausted = false;
  let resetAt: number | undefined;
  let treatAsStatus: number | undefined;
  const message = typeof error?.message === 'string' ? error.message : undefined;
  // Google answers a bad or expired key with 400 INVALID_ARGUMENT (ErrorInfo reason API_KEY_INVALID): that is the
  // key's fault, not the request's, so it must rotate keys and fall through combos like a 401.
  if (response.status === 400 && /API[_ ]key (?:not valid|expired)|API_KEY_INVALID/i.test(`${message ?? ''} ${JSON.stringify(details)}`)) treatAsStatus = 401;
  // "User location is not supported for the API use": this account cannot be served from here; try elsewhere.
  if (response.status === 400 && error?.status === 'FAILED_PRECONDITION') treatAsStatus = 403;
  for (const detail of details) {
    const type = detail['@type'] ?? '';
    if (type.endsWith('google.rpc.RetryInfo')) retryAfterMs ??= parseProtobufDuration(detail.retryDelay);
    if (type.endsWith('google.rpc.ErrorInfo')) {
      const resetDelay = parseProtobufDuration(detail.metadata?.quotaResetDelay);
      if (resetDelay !== undefined) retryAfterMs ??= resetDelay;
      if (detail.reason === 'QUOTA_EXHAUSTED') quotaExhausted = true;
    }
    if (type.endsWith('google.rpc.QuotaFailure')) {
      // A per-day quota will not come back in seconds: the key is exhausted until midnight Pacific.
      if ((detail.violations ?? []).some((violation) => /PerDay/i.test(violation.quotaId ?? ''))) {
        quotaExhausted = true;
        resetAt = nextPacificMidnight(context.now);
      }
    }
  }
  return classifyHttpError(response, context, {
    message,
    upstreamType: typeof error?.status === 'string' ? error.status : undefined,
    retryAfterMs,
    quotaExhausted: response.status === 429 && quotaExhausted,
    resetAt,
    treatAsStatus,
  });
}

export const geminiAdapter: ProviderAdapter = {
  type: 'gemini',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com',
  nativeFormats: ['gemini'],
  countTokensFormats: ['gemini'],
  // The Gemini API sends no budget headers; a 429 carries RetryInfo / QuotaFailure in the body instead.
  rateLimitHeaders: ['retry-after'],
  embeddings: 'gemini',
  imageGeneration: 'gemini',
  endpoint(baseUrl) {
    const endpoint = parseEndpoint(baseUrl);
    // Accept bases written with or without the API version.
    return /\/v1(beta\d*|alpha)?$/.test(endpoint.basePath) ? endpoint : { ...endpoint, basePath: `${endpoint.basePath}/v1beta` };
  },
  prepare(call: UpstreamCall): PreparedRequest {
    const model = encodeURIComponent(call.model).replace(/%2F/gi, '/');
    const prefix = `${call.endpoint.basePath}/models/${model}`;
    let path: string;
    if (call.operation === 'countTokens') path = `${prefix}:countTokens`;
    else if (call.operation === 'embed') path = `${prefix}:batchEmbedContents`;
    else if (call.operation === 'generateImage') path = `${prefix}:generateContent`;
    else if (call.stream) path = `${prefix}:streamGenerateContent?alt=${encodeURIComponent(call.clientQuery?.get('alt') ?? 'sse')}`;
    else path = `${prefix}:generateContent`;
    return {
      path,
      headers: upstreamHeaders({ defaults: { 'content-type': 'application/json', 'user-agent': userAgent }, configured: call.configHeaders, auth: { 'x-goog-api-key': call.credential } }),
    };
  },
  classifyError: classifyGeminiError,
  listModels(call: ModelListCall): PreparedRequest {
    return {
      path: `${call.endpoint.basePath}/models?pageSize=1000`,
      headers: upstreamHeaders({ defaults: { accept: 'application/json', 'user-agent': userAgent }, configured: call.configHeaders, auth: { 'x-goog-api-key': call.credential } }),
    };
  },
  // Chat and image models (generateContent) and embedding models (embedContent); the rest (AQA, TTS-only) are not served.
  parseModelList: (body) =>
    parseModelNames(
      body,
      (entry) => !Array.isArray(entry.supportedGenerationMethods) || entry.supportedGenerationMethods.includes('generateContent') || entry.supportedGenerationMethods.includes('embedContent'),
    ),
};
