import type { NetworkConfig, TimeoutsConfig } from '../../../shared/config/network-schema.ts';
import type { ProviderConfig } from '../../../shared/config/provider-schema.ts';
import { environmentProxy } from './environment-proxy.ts';
import type { UpstreamTimeouts } from './upstream-client.ts';

type Environment = Record<string, string | undefined>;

/** How one provider's traffic leaves: its proxy per key (undefined = direct) and its timeouts. */
export interface OutboundSettings {
  /** The proxy URL for a send with this key; undefined means connect directly. */
  proxyFor(keyId: string | undefined): string | undefined;
  /** Timeouts set in the config (provider over `network.timeouts`); the engine's defaults fill the rest. */
  timeouts: Partial<UpstreamTimeouts>;
}

function definedTimeouts(...layers: Array<TimeoutsConfig | undefined>): Partial<UpstreamTimeouts> {
  const result: Partial<UpstreamTimeouts> = {};
  for (const layer of layers) {
    if (layer?.connectMs !== undefined) result.connectMs = layer.connectMs;
    if (layer?.firstByteMs !== undefined) result.firstByteMs = layer.firstByteMs;
    if (layer?.idleMs !== undefined) result.idleMs = layer.idleMs;
  }
  return result;
}

/**
 * Resolves, once per config, where one provider's traffic goes (docs/providers.md "Proxies"): the key's `proxy`,
 * else the provider's, else `network.proxy`, else the environment (HTTPS_PROXY/HTTP_PROXY/ALL_PROXY minus NO_PROXY)
 * unless `network.useEnvironmentProxy` is false. `direct` at any level stops the search: no proxy.
 */
export function resolveOutboundSettings(provider: ProviderConfig, origin: string, network: NetworkConfig | undefined, env: Environment): OutboundSettings {
  const fromEnvironment = network?.useEnvironmentProxy === false ? undefined : environmentProxy(new URL(origin), env);
  const inherited = provider.proxy ?? network?.proxy;
  const providerProxy = inherited === 'direct' ? undefined : (inherited ?? fromEnvironment);
  const keyProxies = new Map<string, string | undefined>();
  for (const key of provider.keys) {
    if (key.proxy !== undefined) keyProxies.set(key.id, key.proxy === 'direct' ? undefined : key.proxy);
  }
  return {
    proxyFor: (keyId) => (keyId !== undefined && keyProxies.has(keyId) ? keyProxies.get(keyId) : providerProxy),
    timeouts: definedTimeouts(network?.timeouts, provider.timeouts),
  };
}

/** `http://user:secret@host:3128` -> `http://user:****@host:3128`, for logs and error messages. */
export function redactProxyUrl(proxy: string): string {
  try {
    const url = new URL(proxy);
    if (url.password) url.password = '****';
    return url.toString().replace(/\/$/, '');
  } catch {
    return 'proxy';
  }
}
