import { ProxyError } from '../../errors/proxy-error.ts';
import { classifyGeminiError } from '../gemini/adapter.ts';
import { codeAssistProblem, googleErrorOf, projectNeededMessage } from './code-assist-problems.ts';
import { codeAssistOrigin, codeAssistVersion } from './code-assist-endpoint.ts';
import { codeAssistWire, withProject } from './code-assist-envelope.ts';
import { upstreamHeaders } from '../common/upstream-headers.ts';
import type { ErrorContext, PreparedRequest, ProviderAdapter, UpstreamCall, UpstreamErrorResponse } from '../provider-adapter.ts';
import { parseEndpoint } from '../provider-adapter.ts';

// Gemini CLI's Google sign-in (docs/accounts.md, docs/wire-formats.md "Gemini Code Assist"): the Gemini API inside
// the Code Assist envelope at POST {origin}/v1internal:generateContent, :streamGenerateContent?alt=sse and
// :countTokens, with the account's OAuth access token as Bearer and the account's Cloud project in the body.
// Clients of every format reach it through the Gemini codec; the envelope is added and removed at the edge.

/**
 * Code Assist errors: what the person must fix (verify the account, the project) is said as such and takes that
 * account out; a model out of capacity is the provider's trouble, not the account's; the rest reads like the Gemini
 * API (RetryInfo, QUOTA_EXHAUSTED until its reset, RATE_LIMIT_EXCEEDED retried after its delay).
 */
export function classifyCodeAssistError(response: UpstreamErrorResponse, context: ErrorContext, project?: string): ProxyError {
  const problem = codeAssistProblem(response.status, response.body, project);
  if (problem) {
    return new ProxyError({
      code: 'permission_denied',
      status: 403,
      scope: 'key',
      retryable: true,
      provider: context.providerId,
      keyId: context.keyId,
      upstreamBody: response.body,
      upstreamType: problem.kind === 'validation' ? 'VALIDATION_REQUIRED' : 'PERMISSION_DENIED',
      message: `${context.providerId}: ${problem.message}`,
    });
  }
  const reasons = (googleErrorOf(response.body)?.details ?? []).map((detail) => detail.reason);
  if (response.status === 429 && reasons.some((reason) => reason === 'MODEL_CAPACITY_EXHAUSTED' || reason === 'MODEL_CAPACITY_EXCEEDED')) {
    return classifyGeminiError({ ...response, status: 503 }, context);
  }
  return classifyGeminiError(response, context);
}

/** The Gemini CLI release whose wire this follows; its User-Agent format is `GeminiCLI/{version}/{model} (…)`. */
export const geminiCliVersion = '0.56.0';

export const geminiCliAdapter: ProviderAdapter = {
  type: 'gemini-cli',
  defaultBaseUrl: codeAssistOrigin,
  nativeFormats: ['gemini'],
  countTokensFormats: ['gemini'],
  // Like the Gemini API: no budget headers; a 429 carries RetryInfo / ErrorInfo in its body.
  rateLimitHeaders: ['retry-after'],
  // Code Assist lists no models; these are the ones Gemini CLI offers (packages/core/src/config/models.ts).
  defaultModels: ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-3-pro-preview'],
  wire: codeAssistWire,
  endpoint(baseUrl) {
    const endpoint = parseEndpoint(baseUrl);
    return { ...endpoint, basePath: endpoint.basePath.replace(new RegExp(`/${codeAssistVersion}$`), '') };
  },
  prepare(call: UpstreamCall): PreparedRequest {
    const base = `${call.endpoint.basePath}/${codeAssistVersion}`;
    let path: string;
    if (call.operation === 'countTokens') path = `${base}:countTokens`;
    else if (call.stream) path = `${base}:streamGenerateContent?alt=sse`;
    else path = `${base}:generateContent`;
    const headers = upstreamHeaders({ defaults: { 'content-type': 'application/json', 'user-agent': `GeminiCLI/${geminiCliVersion}/${call.model} (${process.platform}; ${process.arch}; switchyard)` }, configured: call.configHeaders, auth: { authorization: `Bearer ${call.credential}` } });
    if (call.operation === 'countTokens' || !call.body) return { path, headers };
    if (!call.project) {
      throw new ProxyError({ code: 'permission_denied', status: 403, scope: 'key', retryable: true, message: projectNeededMessage('none is stored with this account') });
    }
    return { path, headers, body: withProject(call.body, call.project) };
  },
  classifyError: (response, context) => classifyCodeAssistError(response, context),
};
