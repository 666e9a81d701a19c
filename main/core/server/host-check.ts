import { isIP } from 'node:net';
import { appOrigin } from '../../../shared/desktop-origin.ts';

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

/** The Host header as a URL's `host` (lowercase, default port dropped), or undefined when it is not one. */
function servedHost(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  try {
    return new URL(`http://${hostHeader.trim()}`).host;
  } catch {
    return undefined;
  }
}

/**
 * Browsers send Origin on cross-site requests (and on same-origin POSTs); only this Switchyard's own pages may call
 * it from a browser: a page it served itself (the Origin is `http://` and the very host:port the request is sent to),
 * the desktop app's window (`switchyard://app`), or a page on a host the user listed in `server.allowedHosts`. Any
 * other page is refused, IP literals included: a page on http://192.168.1.7:3000 is another site, not ours. Clients
 * that are not browsers send no Origin and pass.
 */
export function isAllowedOrigin(origin: string | undefined, hostHeader: string | undefined, allowedHosts: ReadonlySet<string>): boolean {
  if (origin === undefined) return true;
  if (origin === appOrigin) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.protocol === 'http:' && url.host === servedHost(hostHeader)) return true;
  return allowedHosts.has(url.hostname.replace(/^\[|\]$/g, ''));
}
