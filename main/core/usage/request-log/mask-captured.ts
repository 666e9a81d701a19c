// Masks a captured part before it is stored: credential headers lose their value (all but the last 4 characters,
// the way the dashboard names keys), a `key=` in a query is masked, and every text then passes through the engine's
// one SecretMasker (every key, token and account credential the engine resolved, plus well-known key shapes).
import type { CapturedMessageView } from '../../../../shared/request-log-views.ts';
import { streamEventsOf } from '../../../../shared/request-log-views.ts';
import type { SecretMasker } from '../../logging/secret-masker.ts';
import { maskSecret } from '../../logging/secret-masker.ts';
import type { CapturedPart, HeaderValues } from './request-capture.ts';

/** Headers that carry a credential in any provider's or client's requests and answers. */
const credentialHeaders = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'cookie',
  'set-cookie',
  'chatgpt-account-id',
  'x-github-token',
]);

function headerText(value: HeaderValues[string]): string {
  return Array.isArray(value) ? value.join(', ') : String(value ?? '');
}

/** `Bearer abc…wxyz` keeps its scheme; any other value is masked whole. */
function maskCredential(value: string): string {
  const scheme = /^(Bearer|Basic|token)\s+(.+)$/i.exec(value);
  return scheme ? `${scheme[1]} ${maskSecret(scheme[2]!)}` : maskSecret(value);
}

export function maskHeaders(headers: HeaderValues, masker: SecretMasker): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = headerText(value);
    masked[name.toLowerCase()] = credentialHeaders.has(name.toLowerCase()) ? maskCredential(text) : masker.mask(text);
  }
  return masked;
}

/** A request line with its query: `key=` (Gemini's and Switchyard's query credential) is masked. */
export function maskLine(line: string, masker: SecretMasker): string {
  return masker.mask(line.replace(/([?&](?:key|api_key|access_token)=)([^&\s#]+)/gi, (_match, name: string, value: string) => name + maskSecret(decodeURIComponent(value))));
}

export function maskPart(part: CapturedPart, masker: SecretMasker): CapturedMessageView {
  const body = masker.mask(part.body.text());
  return {
    line: maskLine(part.line, masker),
    headers: maskHeaders(part.headers, masker),
    body,
    events: part.stream ? streamEventsOf(body) : null,
    omittedBytes: part.body.omitted,
  };
}
