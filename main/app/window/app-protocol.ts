import { existsSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { appHost, appOrigin, appScheme } from '../../../shared/desktop-origin.ts';
import type { ElectronApi } from '../electron-api.ts';

export { appHost, appOrigin, appScheme } from '../../../shared/desktop-origin.ts';

/**
 * The dashboard is served to the window from `switchyard://app/`, a privileged custom scheme, instead of file://:
 * the page gets a real origin of its own (IPC senders are checked against it, see ipc/trusted-sender.ts), only files
 * of the built renderer can be read through it, and every answer carries a strict Content-Security-Policy.
 */
export const appStartUrl = `${appOrigin}/index.html`;

/**
 * The renderer talks to main over IPC only: no network access from the page at all (connect-src 'none'), no inline
 * or remote scripts. Inline styles stay allowed for the UI's style attributes and chart libraries.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export type AppRequestTarget = { kind: 'file'; path: string } | { kind: 'not-found'; reason: string };

/**
 * Maps a `switchyard://app/...` URL to a file of the built renderer. Paths that leave the renderer folder (../, an
 * encoded separator, an absolute path) are refused; a path without an extension is a client-side route and gets
 * index.html.
 */
export function resolveAppRequest(requestUrl: string, rendererDir: string): AppRequestTarget {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { kind: 'not-found', reason: 'not a URL' };
  }
  if (url.protocol !== `${appScheme}:` || url.host !== appHost) return { kind: 'not-found', reason: 'not the app origin' };
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { kind: 'not-found', reason: 'bad escape in the path' };
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return { kind: 'not-found', reason: 'bad character in the path' };
  const wanted = pathname === '/' || extname(pathname) === '' ? '/index.html' : pathname;
  const root = resolve(rendererDir);
  const path = resolve(join(root, wanted));
  const inside = relative(root, path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return { kind: 'not-found', reason: 'outside the renderer' };
  return { kind: 'file', path };
}

/** Must run before the app is ready (Electron's rule for privileged schemes). */
export function registerAppScheme(electron: Pick<ElectronApi, 'protocol'>): void {
  electron.protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Shown instead of the dashboard when a development build has no renderer output yet. */
export const missingRendererPage = `<!doctype html><meta charset="utf-8"><title>Switchyard</title>
<body style="font: 15px system-ui; margin: 3em; color: #e2e8f0; background: #0f172a">
<h1>The dashboard is not built</h1><p>Run <code>npm run build</code>, then start Switchyard again. The tray menu works without it.</p>`;

/** Serves the built renderer on the app scheme; call once the app is ready. */
export function serveAppScheme(electron: Pick<ElectronApi, 'protocol' | 'net'>, rendererDir: string): void {
  electron.protocol.handle(appScheme, async (request) => {
    const target = resolveAppRequest(request.url, rendererDir);
    if (target.kind === 'file' && target.path === join(resolve(rendererDir), 'index.html') && !existsSync(target.path)) {
      return new Response(missingRendererPage, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': contentSecurityPolicy } });
    }
    if (target.kind === 'not-found' || request.method !== 'GET') return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    let file: Response;
    try {
      file = await electron.net.fetch(pathToFileURL(target.path).href);
    } catch {
      return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    }
    const headers = new Headers(file.headers);
    headers.set('content-security-policy', contentSecurityPolicy);
    headers.set('x-content-type-options', 'nosniff');
    return new Response(file.body, { status: file.status, headers });
  });
}
