import { z } from 'zod';

// Outbound network settings: which proxy carries upstream traffic and how long Switchyard waits for a provider.
// Precedence for the proxy of one request: the key's `proxy`, then the provider's, then `network.proxy`, then the
// environment (HTTPS_PROXY / HTTP_PROXY / ALL_PROXY, honouring NO_PROXY). See docs/providers.md "Proxies".

const proxyProtocols = /^(https?|socks5h?|socks)$/;

/** A proxy URL (`http://`, `https://`, `socks5://`, optionally with `user:password@`), or `direct` for none. */
export const proxySchema = z
  .union([z.literal('direct'), z.url({ protocol: proxyProtocols, error: 'expected an http://, https:// or socks5:// proxy URL, or "direct"' })])
  .describe('Proxy for upstream traffic: http://host:port, https://host:port or socks5://host:port (user:password@ allowed), or "direct" to bypass every proxy including the environment.');

export const timeoutsSchema = z.strictObject({
  connectMs: z.number().int().min(1).optional().describe('Longest time to open the TCP/TLS connection (through the proxy, if any). Default 10000.'),
  firstByteMs: z.number().int().min(1).optional().describe('Longest wait from sending a request to the response headers. Default 600000 (non-streaming answers arrive whole).'),
  idleMs: z.number().int().min(1).optional().describe('Longest silence between two chunks of a response body. Default 300000.'),
});

export const networkSchema = z.strictObject({
  proxy: proxySchema.optional().describe('Proxy for every provider that sets none of its own. Unset: the environment decides (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY).'),
  useEnvironmentProxy: z.boolean().default(true).describe('Read HTTPS_PROXY / HTTP_PROXY / ALL_PROXY / NO_PROXY (either case) when no proxy is configured.'),
  timeouts: timeoutsSchema.optional().describe('Default upstream timeouts; a provider may override each one.'),
  hostOverrides: z
    .record(
      z.string().regex(/^[a-z0-9.-]+$/, 'a host name such as "github.com", lower case, without scheme or port'),
      z.url({ protocol: /^https?$/, error: 'expected an origin such as https://mirror.example.com or http://127.0.0.1:9001' }),
    )
    .optional()
    .describe('Sends every call to a vendor host to another origin instead, same path and query: OAuth sign-in, token refresh and API calls of signed-in accounts, and the sign-in URLs shown to you. Example: {"github.com": "http://127.0.0.1:9001", "api.githubcopilot.com": "https://mirror.corp"}. For enterprise mirrors and tests.'),
});

export type ProxySetting = z.infer<typeof proxySchema>;
export type TimeoutsConfig = z.infer<typeof timeoutsSchema>;
export type NetworkConfig = z.infer<typeof networkSchema>;
