import { isIP } from 'node:net';

/**
 * DNS-rebinding guard: a web page on evil.example can make the browser resolve its own name to 127.0.0.1 and then
 * talk to us with `Host: evil.example`. We accept only IP literals, localhost and names the user allowed, so such a
 * request is refused before it reaches any route (docs/security.md).
 */
export function hostnameOf(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(1, value.indexOf(']'));
  const colon = value.lastIndexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

export function isAllowedHost(hostHeader: string | undefined, allowedHosts: ReadonlySet<string>): boolean {
  if (!hostHeader) return false;
  const hostname = hostnameOf(hostHeader);
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
  if (isIP(hostname) !== 0) return true;
  return allowedHosts.has(hostname);
}

/** Browsers send Origin on cross-site requests; only our own origins may call us from a page. */
export function isAllowedOrigin(origin: string | undefined, allowedHosts: ReadonlySet<string>): boolean {
  if (origin === undefined) return true;
  if (origin === 'null') return false;
  try {
    return isAllowedHost(new URL(origin).host, allowedHosts);
  } catch {
    return false;
  }
}
