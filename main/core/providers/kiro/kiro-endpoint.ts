// Where Kiro's chat, model list and usage limits live: the CodeWhisperer service in us-east-1, spoken to with the
// account's bearer token and no SigV4 (decolua/9router open-sse/config/providers.js, src/lib/oauth/services/kiro.js).
// One home for the host and the headers the Kiro IDE sends, for the provider adapter and the account driver alike.

export const codewhispererOrigin = 'https://codewhisperer.us-east-1.amazonaws.com';
/** Kiro's requests name the IDE as their origin; the service uses it to pick the product's limits. */
export const kiroOrigin = 'AI_EDITOR';
export const kiroUserAgent = 'aws-sdk-js/3.0.0 KiroIDE switchyard';

/** The headers every CodeWhisperer call carries besides the bearer token. */
export function kiroHeaders(): Record<string, string> {
  return { 'user-agent': kiroUserAgent, 'x-amz-user-agent': kiroUserAgent };
}
