export type PointsAt = 'switchyard' | 'vendor' | 'elsewhere';

const loopbackNames = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function normalisedHost(url: URL): string {
  return loopbackNames.has(url.hostname) ? 'loopback' : url.hostname.toLowerCase();
}

function portOf(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/**
 * Where a base URL sends a tool: no URL at all means the tool's built-in default, its vendor. Loopback names are
 * one host, so `http://localhost:8787` counts as the Switchyard on `http://127.0.0.1:8787`.
 */
export function classifyBaseUrl(baseUrl: string | undefined, vendorHosts: readonly string[], switchyardOrigin: string): PointsAt {
  if (baseUrl === undefined || baseUrl.trim() === '') return 'vendor';
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return 'elsewhere';
  }
  const switchyard = new URL(switchyardOrigin);
  if (url.protocol === switchyard.protocol && normalisedHost(url) === normalisedHost(switchyard) && portOf(url) === portOf(switchyard)) return 'switchyard';
  const host = url.hostname.toLowerCase();
  if (vendorHosts.some((vendor) => host === vendor || host.endsWith(`.${vendor}`))) return 'vendor';
  return 'elsewhere';
}
