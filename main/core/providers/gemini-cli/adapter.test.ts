import { describe, expect, it } from 'vitest';
import { geminiCliAdapter } from './adapter.ts';

const context = { providerId: 'gcli', keyId: 'gemini-cli-a', now: Date.UTC(2026, 5, 1, 12) };
const errorInfo = (reason: string, extra: Record<string, unknown> = {}) => ({ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'cloudcode-pa.googleapis.com', ...extra });
const classify = (status: number, error: Record<string, unknown>) => geminiCliAdapter.classifyError({ status, headers: {}, body: JSON.stringify({ error: { code: status, ...error } }) }, context);

describe('the gemini-cli adapter', () => {
  it('sends generate, stream and count to v1internal with the bearer token, and the account project in the body', () => {
    const endpoint = geminiCliAdapter.endpoint('https://cloudcode-pa.googleapis.com/v1internal');
    expect(endpoint).toEqual({ origin: 'https://cloudcode-pa.googleapis.com', basePath: '' });
    const base = { endpoint, format: 'gemini' as const, model: 'gemini-2.5-pro', credential: 'ya29.fake-token', clientHeaders: {}, body: Buffer.from('{"model":"gemini-2.5-pro","request":{}}'), project: 'p-1' };
    const streamed = geminiCliAdapter.prepare({ ...base, operation: 'generate', stream: true });
    expect(streamed.path).toBe('/v1internal:streamGenerateContent?alt=sse');
    expect(streamed.headers.authorization).toBe('Bearer ya29.fake-token');
    expect(JSON.parse(streamed.body!.toString())).toEqual({ project: 'p-1', model: 'gemini-2.5-pro', request: {} });
    expect(geminiCliAdapter.prepare({ ...base, operation: 'generate', stream: false }).path).toBe('/v1internal:generateContent');
    const count = geminiCliAdapter.prepare({ ...base, operation: 'countTokens', stream: false });
    expect(count.path).toBe('/v1internal:countTokens');
    expect(count.body).toBeUndefined();
    expect(() => geminiCliAdapter.prepare({ ...base, project: undefined, operation: 'generate', stream: false })).toThrow(/needs a Google Cloud project/);
  });

  it('QUOTA_EXHAUSTED is terminal until its reset delay; RATE_LIMIT_EXCEEDED is retried after RetryInfo', () => {
    const spent = classify(429, { status: 'RESOURCE_EXHAUSTED', message: 'You have exhausted your capacity', details: [errorInfo('QUOTA_EXHAUSTED', { metadata: { quotaResetDelay: '3600s' } })] });
    expect(spent).toMatchObject({ code: 'quota_exhausted', scope: 'key', retryAfterMs: 3_600_000 });
    const limited = classify(429, { status: 'RESOURCE_EXHAUSTED', message: 'Rate limit exceeded', details: [errorInfo('RATE_LIMIT_EXCEEDED'), { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' }] });
    expect(limited).toMatchObject({ code: 'rate_limited', scope: 'key', retryable: true, retryAfterMs: 1500 });
  });

  it('a model out of capacity is the provider’s trouble, not the account’s', () => {
    expect(classify(429, { status: 'RESOURCE_EXHAUSTED', message: 'No capacity', details: [errorInfo('MODEL_CAPACITY_EXHAUSTED')] })).toMatchObject({ code: 'overloaded', scope: 'provider' });
  });

  it('VALIDATION_REQUIRED and a refused project say what to do and take the account out', () => {
    const validation = classify(403, {
      status: 'PERMISSION_DENIED',
      message: 'Verify your account',
      details: [errorInfo('VALIDATION_REQUIRED'), { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Verify', url: 'https://accounts.google.com/verify-fake' }] }],
    });
    expect(validation).toMatchObject({ code: 'permission_denied', status: 403, scope: 'key', upstreamType: 'VALIDATION_REQUIRED' });
    expect(validation.message).toMatch(/^gcli: Google wants this account verified.*Open https:\/\/accounts\.google\.com\/verify-fake/);
    const project = classify(403, { status: 'PERMISSION_DENIED', message: 'Cloud AI Companion API has not been used in project fake-123 before or it is disabled.', details: [errorInfo('SERVICE_DISABLED')] });
    expect(project).toMatchObject({ code: 'permission_denied', scope: 'key' });
    expect(project.message).toMatch(/refused this account's Google Cloud project.*cloudaicompanion\.googleapis\.com.*--project <id>/);
    // A bad request is still the request's fault.
    expect(classify(400, { status: 'INVALID_ARGUMENT', message: 'Invalid JSON payload received.' })).toMatchObject({ code: 'invalid_request', scope: 'request' });
  });
});
