// The one header precedence of every adapter (docs/providers.md "Headers"), lowest first:
//   1. the adapter's defaults (content-type / accept, user-agent, protocol version, a preset's extra headers),
//   2. client headers the adapter forwards (e.g. anthropic-beta),
//   3. the provider's configured `headers` (the user's explicit choice for this provider),
//   4. the adapter's auth header, always: a configured header cannot replace the key the guard leased for this send.
// Names are compared case-insensitively and sent in lower case.

export interface UpstreamHeaderParts {
  defaults: Record<string, string>;
  forwarded?: Record<string, string | undefined>;
  configured?: Record<string, string>;
  auth: Record<string, string>;
}

function addAll(headers: Record<string, string>, from: Record<string, string | undefined> | undefined): void {
  if (!from) return;
  for (const name in from) {
    const value = from[name];
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
}

export function upstreamHeaders(parts: UpstreamHeaderParts): Record<string, string> {
  const headers: Record<string, string> = {};
  addAll(headers, parts.defaults);
  addAll(headers, parts.forwarded);
  addAll(headers, parts.configured);
  // Configured headers that only differ in case from an auth header must not travel next to it.
  addAll(headers, parts.auth);
  return headers;
}

/** A client header as one string (repeated headers joined with commas, as HTTP allows). */
export function clientHeaderText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
