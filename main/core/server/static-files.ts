import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Serves the built dashboard (web mode) from `root`; unknown paths fall back to index.html (client-side routing). */
export async function serveStatic(response: ServerResponse, root: string | undefined, pathname: string): Promise<void> {
  // The dashboard lives under /ui/ (its assets are relative to the page); a bare / goes there. Browsers carry the
  // fragment (#code=...) over a redirect, so a sign-in link written without /ui/ still works.
  if (pathname === '/' && root) {
    response.writeHead(302, { location: '/ui/', 'cache-control': 'no-store' });
    response.end();
    return;
  }
  if (!root) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('The dashboard is not built. Run `npm run build`, then reload.');
    return;
  }
  const relative = pathname.replace(/^\/ui\/?/, '/').replace(/^\/+/, '');
  const requested = normalize(join(root, relative || 'index.html'));
  const inside = requested === root || requested.startsWith(root.endsWith(sep) ? root : root + sep);
  let file = inside ? requested : join(root, 'index.html');
  let info = await stat(file).catch(() => undefined);
  if (!info || info.isDirectory()) {
    file = join(root, 'index.html');
    info = await stat(file).catch(() => undefined);
  }
  if (!info) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('The dashboard is not built. Run `npm run build`, then reload.');
    return;
  }
  response.writeHead(200, {
    'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'content-length': String(info.size),
    'cache-control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
  });
  createReadStream(file).pipe(response);
}
