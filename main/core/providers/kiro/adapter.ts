import { randomUUID } from 'node:crypto';
import type { ProxyError } from '../../errors/proxy-error.ts';
import { parseJsonQuietly } from '../../formats/canonical/json-values.ts';
import { classifyHttpError } from '../common/classify-http-error.ts';
import { upstreamHeaders } from '../common/upstream-headers.ts';
import type { ErrorContext, ModelListCall, PreparedRequest, ProviderAdapter, UpstreamCall, UpstreamErrorResponse, WireCodec } from '../provider-adapter.ts';
import { parseEndpoint } from '../provider-adapter.ts';
import { codewhispererOrigin, kiroHeaders, kiroOrigin } from './kiro-endpoint.ts';
import { collectKiroAnswer, createKiroSseDecoder } from './kiro-event-stream.ts';
import { toKiroRequest } from './kiro-request.ts';
import { kiroUsage } from './kiro-usage.ts';

// Kiro accounts (docs/accounts.md "Kiro"): CodeWhisperer's generateAssistantResponse with the account's bearer
// token. To the pipeline the provider speaks Anthropic Messages; the WireCodec converts the body on the way out and
// the binary event stream (always a stream, even for a whole answer) on the way back.

function failureError(failure: { status: number; message: string }, context: ErrorContext): ProxyError {
  return classifyHttpError({ status: failure.status, headers: {}, body: failure.message }, context, { message: failure.message.replace(/^kiro: /, '') });
}

const kiroWire: WireCodec = {
  encodeRequest(body, options) {
    return Buffer.from(JSON.stringify(toKiroRequest(JSON.parse(body.toString('utf8')) as Record<string, unknown>, options.model)));
  },
  decodeResponse(body, options) {
    const collected = collectKiroAnswer(body, options?.model ?? 'kiro');
    if ('failure' in collected) throw failureError(collected.failure, { providerId: 'kiro', now: Date.now() });
    return Buffer.from(JSON.stringify(collected.message));
  },
  createStreamDecoder: (options) => createKiroSseDecoder(options.model ?? 'kiro'),
  usage: kiroUsage,
  answersAreStreams: true,
};

/** The CodeWhisperer body with the account's profile (IAM Identity Center set-ups that need one) at its top level. */
function withProfileArn(body: Buffer, profileArn: string): Buffer {
  return Buffer.from(JSON.stringify({ ...(JSON.parse(body.toString('utf8')) as Record<string, unknown>), profileArn }));
}

/** What a person can do when CodeWhisperer wants a CodeWhisperer profile the account does not name (docs/accounts.md). */
export const kiroProfileAdvice = 'Sign the account in again so Switchyard looks up its profile (ListAvailableProfiles).';

/** Monthly credit limits reset at the start of the next month (UTC) when the answer names no time. */
function nextMonthStart(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

export function classifyKiroError(response: UpstreamErrorResponse, context: ErrorContext): ProxyError {
  const parsed = parseJsonQuietly(response.body) as { message?: unknown; Message?: unknown; reason?: unknown; __type?: unknown } | undefined;
  const header = response.headers['x-amzn-errortype'];
  const type = (typeof parsed?.__type === 'string' ? parsed.__type.split('#').pop() : undefined) ?? (Array.isArray(header) ? header[0] : header)?.split(':')[0];
  const text = typeof parsed?.message === 'string' ? parsed.message : typeof parsed?.Message === 'string' ? parsed.Message : undefined;
  const reason = typeof parsed?.reason === 'string' ? parsed.reason : undefined;
  const message = [type, text, reason ? `(${reason})` : undefined].filter(Boolean).join(': ') || undefined;
  // A spent monthly allowance is a 429 with a reason (observed), not a short rate limit: the account is out until the reset.
  const spent = response.status === 402 || /MONTHLY|QUOTA|LIMIT_REACHED/i.test(reason ?? '') || /monthly (request|usage) (count|limit)|reached the limit/i.test(text ?? '');
  const expiredToken = response.status === 403 && /token/i.test(text ?? '') && /invalid|expired/i.test(text ?? '');
  // Some IAM Identity Center set-ups refuse calls that name no CodeWhisperer profile (or one the user may not use).
  const profileProblem = response.status === 403 && !expiredToken && /profile/i.test(text ?? '');
  const said = profileProblem ? `${(message ?? 'CodeWhisperer wants a profile').replace(/\.$/u, '')}. ${kiroProfileAdvice}` : message;
  return classifyHttpError(response, context, {
    ...(said ? { message: said } : {}),
    ...(type ? { upstreamType: type } : {}),
    ...(spent ? { quotaExhausted: true, resetAt: nextMonthStart(context.now) } : {}),
    ...(expiredToken ? { treatAsStatus: 401 } : {}),
  });
}

export const kiroAdapter: ProviderAdapter = {
  type: 'kiro',
  defaultBaseUrl: codewhispererOrigin,
  nativeFormats: ['anthropic'],
  countTokensFormats: [],
  rateLimitHeaders: ['retry-after'],
  defaultModels: ['claude-sonnet-4.5', 'claude-haiku-4.5', 'claude-sonnet-4'],
  wire: kiroWire,
  endpoint: parseEndpoint,
  prepare(call: UpstreamCall): PreparedRequest {
    return {
      path: `${call.endpoint.basePath}/generateAssistantResponse`,
      ...(call.profileArn && call.body ? { body: withProfileArn(call.body, call.profileArn) } : {}),
      headers: upstreamHeaders({
        defaults: {
          'content-type': 'application/json',
          accept: 'application/vnd.amazon.eventstream',
          'x-amz-target': 'AmazonCodeWhispererStreamingService.GenerateAssistantResponse',
          'amz-sdk-invocation-id': randomUUID(),
          'amz-sdk-request': 'attempt=1; max=1',
          ...kiroHeaders(),
        },
        configured: call.configHeaders,
        auth: { authorization: `Bearer ${call.credential}` },
      }),
    };
  },
  classifyError: classifyKiroError,
  errorInAnswer(body, context) {
    const collected = collectKiroAnswer(body, 'kiro');
    return 'failure' in collected ? failureError(collected.failure, context) : undefined;
  },
  listModels(call: ModelListCall): PreparedRequest {
    return {
      path: `${call.endpoint.basePath}/ListAvailableModels?${new URLSearchParams({ origin: kiroOrigin, ...(call.profileArn ? { profileArn: call.profileArn } : {}) }).toString()}`,
      headers: upstreamHeaders({ defaults: { accept: 'application/json', ...kiroHeaders() }, configured: call.configHeaders, auth: { authorization: `Bearer ${call.credential}` } }),
    };
  },
  parseModelList(body) {
    const parsed = parseJsonQuietly(body) as { models?: Array<{ modelId?: unknown }> } | undefined;
    return (parsed?.models ?? []).map((model) => model?.modelId).filter((id): id is string => typeof id === 'string' && id.length > 0);
  },
};
