// The conventional proxy environment variables (curl, Go, Python requests and undici's EnvHttpProxyAgent agree on
// the basics): HTTPS_PROXY for https:// targets, HTTP_PROXY for http:// ones, ALL_PROXY for either, and NO_PROXY to
// exempt hosts. Lower-case names win over upper-case ones, as in curl. NO_PROXY entries: `*` (everything), host
// names (`example.com` also covers its subdomains; a leading `.` or `*.` means the same), IP literals, and an
// optional `:port`.

type Environment = Record<string, string | undefined>;

function read(env: Environment, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value && value.trim() !== '' ? value.trim() : undefined;
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}

/** Whether NO_PROXY exempts `target` from the environment's proxy. */
export function bypassesProxy(target: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = target.port || defaultPort(target.protocol);
  for (const raw of noProxy.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    let entryPort: string | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed) {
      entry = bracketed[1]!;
      entryPort = bracketed[2];
    } else if (/^[^:]+:\d+$/.test(entry)) {
      [entry, entryPort] = entry.split(':') as [string, string];
    }
    if (entryPort !== undefined && entryPort !== port) continue;
    entry = entry.replace(/^\*?\./, '');
    if (host === entry || host.endsWith(`.${entry}`)) return true;
  }
  return false;
}

/** The proxy the environment asks for to reach `target`, or undefined for a direct connection. */
export function environmentProxy(target: URL, env: Environment): string | undefined {
  const proxy =
    target.protocol === 'https:' ? (read(env, 'https_proxy') ?? read(env, 'all_proxy')) : (read(env, 'http_proxy') ?? read(env, 'all_proxy'));
  if (!proxy) return undefined;
  if (bypassesProxy(target, read(env, 'no_proxy'))) return undefined;
  // Variables are often written without a scheme ("proxy.corp:3128"); that means http.
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}
