import { describe, expect, it } from 'vitest';
import type { ProviderType } from '../../../shared/config/provider-schema.ts';
import { providerSchema } from '../../../shared/config/provider-schema.ts';
import { providerAdapter } from './index.ts';
import { configuredAdapter } from './provider-adapter.ts';

// How each provider's error answers are classified. What matters for routing: scope `request` never falls through a
// combo and never cools a key; `key` rotates keys and, when all are out, falls through; `provider` is breaker material.

const now = Date.parse('2026-08-01T12:00:00Z');

function classify(type: ProviderType, status: number, body: unknown, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}) {
  const adapter = configuredAdapter(providerAdapter(type)!, providerSchema.parse({ id: 'p', type, ...extra }));
  const error = adapter.classifyError({ status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) }, { providerId: 'p', keyId: 'k', now });
  return { code: error.code, scope: error.scope, status: error.status, retryAfterMs: error.retryAfterMs, resetAt: error.resetAt, message: error.message };
}

const anthropicError = (type: string, message: string) => ({ type: 'error', error: { type, message } });
const openaiError = (fields: Record<string, unknown>) => ({ error: { message: 'm', type: null, code: null, ...fields } });

describe.each<[string, ProviderType, Record<string, unknown>]>([
  ['anthropic', 'anthropic', {}],
  ['anthropic-compatible', 'anthropic-compatible', { preset: 'kimi' }],
])('%s', (_name, type, extra) => {
  it.each([
    [400, anthropicError('invalid_request_error', 'messages: roles must alternate'), 'invalid_request', 'request'],
    [400, anthropicError('invalid_request_error', 'Your credit balance is too low to access the Anthropic API.'), 'quota_exhausted', 'key'],
    [401, anthropicError('authentication_error', 'invalid x-api-key'), 'auth_failed', 'key'],
    [403, anthropicError('permission_error', 'no access'), 'permission_denied', 'key'],
    [404, anthropicError('not_found_error', 'model: x'), 'not_found', 'target'],
    [413, anthropicError('request_too_large', 'too big'), 'payload_too_large', 'request'],
    [429, anthropicError('rate_limit_error', 'slow down'), 'rate_limited', 'key'],
    [500, anthropicError('api_error', 'oops'), 'upstream_error', 'provider'],
    [529, anthropicError('overloaded_error', 'Overloaded'), 'overloaded', 'provider'],
  ])('%i %j -> %s (%s)', (status, body, code, scope) => {
    expect(classify(type, status, body, {}, extra)).toMatchObject({ code, scope });
  });

  it('reads retry-after on a 429', () => {
    expect(classify(type, 429, anthropicError('rate_limit_error', 'x'), { 'retry-after': '12' }, extra).retryAfterMs).toBe(12_000);
  });
});

describe('openai and openai-compatible vendors', () => {
  it.each<[string, ProviderType, number, unknown, string, string, Record<string, unknown>?]>([
    ['openai 429 rate limit', 'openai', 429, openaiError({ code: 'rate_limit_exceeded' }), 'rate_limited', 'key'],
    ['openai 429 insufficient_quota', 'openai', 429, openaiError({ code: 'insufficient_quota', type: 'insufficient_quota' }), 'quota_exhausted', 'key'],
    ['openai 400 context length', 'openai', 400, openaiError({ code: 'context_length_exceeded', type: 'invalid_request_error' }), 'invalid_request', 'request'],
    ['openrouter 402 out of credits', 'openrouter', 402, { error: { code: 402, message: 'Insufficient credits' } }, 'quota_exhausted', 'key'],
    ['openrouter 502 upstream down', 'openrouter', 502, { error: { code: 502, message: 'Provider returned error' } }, 'upstream_error', 'provider'],
    ['deepseek 402 insufficient balance', 'openai-compatible', 402, openaiError({ message: 'Insufficient Balance' }), 'quota_exhausted', 'key', { preset: 'deepseek' }],
    ['deepseek 422 invalid parameters', 'openai-compatible', 422, openaiError({ message: 'bad param' }), 'invalid_request', 'request', { preset: 'deepseek' }],
    ['glm 429 code 1113 (no balance)', 'openai-compatible', 429, { error: { code: '1113', message: '余额不足或无可用资源包,请充值。' } }, 'quota_exhausted', 'key', { preset: 'glm' }],
    ['glm 429 code 1302 (rate limit)', 'openai-compatible', 429, { error: { code: '1302', message: '您的账户已达到速率限制' } }, 'rate_limited', 'key', { preset: 'glm' }],
    ['glm 429 code 1305 (model overloaded)', 'openai-compatible', 429, { error: { code: '1305', message: '该模型当前访问量过大' } }, 'overloaded', 'provider', { preset: 'glm' }],
    ['kimi 429 exceeded quota', 'openai-compatible', 429, openaiError({ type: 'exceeded_current_quota_error', message: 'Your account is suspended, please check your plan and billing details' }), 'quota_exhausted', 'key', { preset: 'kimi' }],
    ['kimi 429 engine overloaded', 'openai-compatible', 429, openaiError({ type: 'engine_overloaded_error', message: 'The engine is currently overloaded' }), 'overloaded', 'provider', { preset: 'kimi' }],
    ['minimax base_resp 1008 (no balance)', 'openai-compatible', 200, { base_resp: { status_code: 1008, status_msg: 'insufficient balance' } }, 'quota_exhausted', 'key', { preset: 'minimax' }],
    ['minimax base_resp 1002 (rate limit)', 'openai-compatible', 500, { base_resp: { status_code: 1002, status_msg: 'rate limit' } }, 'rate_limited', 'key', { preset: 'minimax' }],
    ['minimax base_resp 1004 (bad key)', 'openai-compatible', 500, { base_resp: { status_code: 1004, status_msg: 'not authorized' } }, 'auth_failed', 'key', { preset: 'minimax' }],
    ['minimax base_resp 1039 (token limit)', 'openai-compatible', 500, { base_resp: { status_code: 1039, status_msg: 'token limit' } }, 'invalid_request', 'request', { preset: 'minimax' }],
    ['ollama native 404 model missing', 'ollama', 404, { error: 'model "qwen9" not found, try pulling it first' }, 'not_found', 'target'],
    ['ollama native 500', 'ollama', 500, { error: 'llama runner process has terminated' }, 'upstream_error', 'provider'],
    ['a forward proxy wanting credentials', 'openai', 407, '', 'connection_failed', 'provider'],
  ])('%s', (_case, type, status, body, code, scope, extra = {}) => {
    expect(classify(type, status, body, {}, extra)).toMatchObject({ code, scope });
  });

  it('ChatGPT-style usage windows carry their reset time', () => {
    const result = classify('openai', 429, { error: { type: 'usage_limit_reached', message: 'limit', resets_in_seconds: 600 } });
    expect(result).toMatchObject({ code: 'quota_exhausted', resetAt: now + 600_000 });
  });
});

describe('errors inside a 200 answer (MiniMax base_resp)', () => {
  const adapter = configuredAdapter(providerAdapter('openai-compatible')!, providerSchema.parse({ id: 'p', type: 'openai-compatible', preset: 'minimax' }));
  const check = (body: unknown) => adapter.errorInAnswer!(Buffer.from(JSON.stringify(body)), { providerId: 'p', keyId: 'k', now });
  const completion = { id: 'c', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }] };

  it('a real answer is not an error, with or without a base_resp of 0', () => {
    expect(check(completion)).toBeUndefined();
    expect(check({ ...completion, base_resp: { status_code: 0, status_msg: '' } })).toBeUndefined();
    expect(check({ ...completion, note: 'base_resp' })).toBeUndefined();
  });

  it.each([
    [1002, 'rate_limited', 'key'],
    [1004, 'auth_failed', 'key'],
    [1008, 'quota_exhausted', 'key'],
    [1039, 'invalid_request', 'request'],
    [1000, 'upstream_error', 'provider'],
    [4242, 'upstream_error', 'provider'],
  ])('base_resp %i is %s (%s)', (code, expected, scope) => {
    const error = check({ id: '', choices: null, base_resp: { status_code: code, status_msg: 'from minimax' } });
    expect(error).toMatchObject({ code: expected, scope });
    expect(error!.message).toContain('from minimax');
  });
});

describe('gemini', () => {
  const google = (status: string, message: string, details: unknown[] = []) => ({ error: { code: 0, status, message, details } });

  it.each([
    ['400 bad request', 400, google('INVALID_ARGUMENT', 'Invalid JSON payload received.'), 'invalid_request', 'request'],
    ['400 bad key (API_KEY_INVALID)', 400, google('INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }]), 'auth_failed', 'key'],
    ['400 expired key', 400, google('INVALID_ARGUMENT', 'API key expired. Please renew the API key.'), 'auth_failed', 'key'],
    ['400 unsupported location', 400, google('FAILED_PRECONDITION', 'User location is not supported for the API use.'), 'permission_denied', 'key'],
    ['403 denied', 403, google('PERMISSION_DENIED', 'denied'), 'permission_denied', 'key'],
    ['503 overloaded', 503, google('UNAVAILABLE', 'The model is overloaded.'), 'overloaded', 'provider'],
  ])('%s', (_case, status, body, code, scope) => {
    expect(classify('gemini', status, body)).toMatchObject({ code, scope });
  });

  it('per-minute 429 honours RetryInfo; per-day quota is exhausted until Pacific midnight', () => {
    const perMinute = classify(
      'gemini',
      429,
      google('RESOURCE_EXHAUSTED', 'quota', [
        { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }] },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '26.66s' },
      ]),
    );
    expect(perMinute).toMatchObject({ code: 'rate_limited', retryAfterMs: 26_660 });
    const perDay = classify('gemini', 429, google('RESOURCE_EXHAUSTED', 'quota', [{ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }] }]));
    expect(perDay.code).toBe('quota_exhausted');
    expect(perDay.resetAt).toBeGreaterThan(now);
  });
});
