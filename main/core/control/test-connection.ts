import type { ConnectionTest } from '../../../shared/api-contract.ts';
import type { ProviderConfig } from '../../../shared/config/provider-schema.ts';
import type { WireFormat } from '../../../shared/wire-format.ts';

export const testPrompt = 'Reply with the word OK.';

/**
 * The smallest request in each wire format: a few output tokens. OpenAI's own API wants max_completion_tokens
 * for its newer models; compatible hosts mostly know only max_tokens.
 */
export function requestFor(format: WireFormat, providerType: ProviderConfig['type'], model: string): { path: string; body: unknown } {
  switch (format) {
    case 'anthropic':
      return { path: '/v1/messages', body: { model, max_tokens: 16, messages: [{ role: 'user', content: testPrompt }] } };
    case 'gemini':
      return {
        path: `/v1beta/models/${encodeURIComponent(model).replace(/%2F/gi, '/')}:generateContent`,
        body: { contents: [{ role: 'user', parts: [{ text: testPrompt }] }], generationConfig: { maxOutputTokens: 16 } },
      };
    case 'openai-responses':
      return { path: '/v1/responses', body: { model, input: testPrompt, max_output_tokens: 16 } };
    default: {
      const limit = providerType === 'openai' ? { max_completion_tokens: 16 } : { max_tokens: 16 };
      return { path: '/v1/chat/completions', body: { model, messages: [{ role: 'user', content: testPrompt }], ...limit } };
    }
  }
}

/** The endpoint to call ourselves on: a wildcard listen address is reached through loopback. */
export function loopbackUrl(engineUrl: string): string {
  const url = new URL(engineUrl);
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (url.hostname === '[::]') url.hostname = '[::1]';
  return url.origin;
}

export function errorMessage(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    const document = Array.isArray(parsed) ? parsed[0] : parsed;
    const message = (document as { error?: { message?: unknown } } | undefined)?.error?.message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

export interface ConnectionTestInput {
  engineUrl: string;
  clientKey: string;
  provider: ProviderConfig;
  /** The format the provider speaks natively, so the test needs no translation. */
  format: WireFormat;
  model: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * "Test connection" sends one tiny real request to Switchyard's own endpoint, exactly as a client would, for
 * `provider-id/model`. It goes through the router, the guard (queue, key choice, retries) and any proxy, so a pass
 * means clients will work too, and a failing key shows up in the key states.
 */
export async function testConnection(input: ConnectionTestInput): Promise<ConnectionTest> {
  const { path, body } = requestFor(input.format, input.provider.type, `${input.provider.id}/${input.model}`);
  const started = performance.now();
  const base = { providerId: input.provider.id, model: input.model, keyId: null };
  let response: Response;
  let text: string;
  try {
    response = await (input.fetch ?? fetch)(`${loopbackUrl(input.engineUrl)}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': input.clientKey, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(input.timeoutMs ?? 60_000),
    });
    text = await response.text();
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    return {
      ...base,
      ok: false,
      latencyMs: null,
      status: null,
      message: timedOut ? 'No answer within a minute. The provider may be slow or unreachable.' : `The test request failed: ${(error as Error).message}`,
    };
  }
  const latencyMs = Math.round(performance.now() - started);
  if (response.ok) {
    return { ...base, ok: true, latencyMs, status: response.status, message: `${input.model} answered in ${latencyMs} ms.` };
  }
  const detail = errorMessage(text) ?? `HTTP ${response.status}`;
  return { ...base, ok: false, latencyMs, status: response.status, message: detail };
}
