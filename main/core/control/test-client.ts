import type { ClientTestResult, ConfigurableClientId } from '../../../shared/api-contract.ts';
import { errorMessage, loopbackUrl, requestFor } from './test-connection.ts';

/**
 * How each tool talks to Switchyard once configured: its API and how it sends the key (docs/clients.md "What is
 * written"). Claude Code sends ANTHROPIC_AUTH_TOKEN as a Bearer token, Codex its provider's bearer token, Gemini CLI
 * GEMINI_API_KEY as x-goog-api-key.
 */
const clientWire: Record<ConfigurableClientId, { format: ClientTestResult['format']; headers(key: string): Record<string, string> }> = {
  'claude-code': { format: 'anthropic', headers: (key) => ({ authorization: `Bearer ${key}`, 'anthropic-version': '2023-06-01' }) },
  codex: { format: 'openai-responses', headers: (key) => ({ authorization: `Bearer ${key}` }) },
  'gemini-cli': { format: 'gemini', headers: (key) => ({ 'x-goog-api-key': key }) },
};

export interface ClientTestInput {
  client: ConfigurableClientId;
  engineUrl: string;
  /** The key the tool's files hold: the test presents exactly what the tool will. */
  key: string;
  model: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** The target that answered, from `x-switchyard-target` (`provider-id/model`). */
function answeredBy(response: Response): { providerId: string; model: string | null } {
  const target = response.headers.get('x-switchyard-target') ?? '';
  const slash = target.indexOf('/');
  return slash > 0 ? { providerId: target.slice(0, slash), model: target.slice(slash + 1) } : { providerId: '', model: null };
}

/**
 * One tiny request in the tool's own API format, with the tool's own key, to Switchyard's own endpoint: a pass means
 * the tool's next request will be accepted and routed the same way.
 */
export async function testClient(input: ClientTestInput): Promise<ClientTestResult> {
  const wire = clientWire[input.client];
  const { path, body } = requestFor(wire.format, 'openai-compatible', input.model);
  const base = { client: input.client, format: wire.format, requested: input.model, keyId: null };
  const started = performance.now();
  let response: Response;
  let text: string;
  try {
    response = await (input.fetch ?? fetch)(`${loopbackUrl(input.engineUrl)}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...wire.headers(input.key) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(input.timeoutMs ?? 60_000),
    });
    text = await response.text();
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    const message = timedOut ? 'No answer within a minute. The provider may be slow or unreachable.' : `The test request failed: ${(error as Error).message}`;
    return { ...base, ok: false, providerId: '', model: null, latencyMs: null, status: null, message };
  }
  const latencyMs = Math.round(performance.now() - started);
  const target = answeredBy(response);
  if (response.ok) {
    const where = target.model ? `${target.providerId}/${target.model}` : input.model;
    return { ...base, ...target, ok: true, latencyMs, status: response.status, message: `${where} answered in ${latencyMs} ms.` };
  }
  return { ...base, ...target, ok: false, latencyMs, status: response.status, message: errorMessage(text) ?? `HTTP ${response.status}` };
}
