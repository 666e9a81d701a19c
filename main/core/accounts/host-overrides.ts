/** `network.hostOverrides`: vendor host name -> origin that takes its place (docs/configuration.md). */
export type HostOverrides = Readonly<Record<string, string>>;

/**
 * The one function every vendor call goes through (sign-in, token refresh, quota, API requests, and sign-in URLs
 * shown to the person): when the URL's host has an override, the origin is replaced and path and query are kept.
 * Enterprise mirrors and the tests' fake vendors both rely on it.
 */
export function applyHostOverride(url: string, overrides: HostOverrides | undefined): string {
  if (!overrides) return url;
  const parsed = new URL(url);
  const origin = overrides[parsed.hostname.toLowerCase()];
  if (origin === undefined) return url;
  const target = new URL(origin);
  // Keep a path prefix of the override ("https://mirror.corp/github") in front of the vendor's path.
  const prefix = target.pathname.replace(/\/+$/, '');
  return `${target.origin}${prefix}${parsed.pathname}${parsed.search}`;
}
