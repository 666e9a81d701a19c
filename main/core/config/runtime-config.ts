import type { SwitchyardConfig } from '../../../shared/config/config-schema.ts';
import type { ProviderConfig } from '../../../shared/config/provider-schema.ts';
import { isAccountProviderType } from '../../../shared/config/provider-schema.ts';
import type { AccountPool, ProviderAccounts, ProviderBinding } from '../accounts/account-pool.ts';
import { unavailableAccounts } from '../accounts/unavailable-accounts.ts';
import { applyHostOverride } from '../accounts/host-overrides.ts';
import type { GuardProvider } from '../guard/guard-contract.ts';
import type { SecretMasker } from '../logging/secret-masker.ts';
import { providerAdapter } from '../providers/index.ts';
import { keylessKeyId, kindNeedsKey, servedWithoutKey } from '../providers/key-requirement.ts';
import type { ProviderAdapter, ProviderEndpoint } from '../providers/provider-adapter.ts';
import { configuredAdapter } from '../providers/provider-adapter.ts';
import type { OutboundSettings } from '../upstream/outbound-settings.ts';
import { resolveOutboundSettings } from '../upstream/outbound-settings.ts';
import type { SecretSources } from '../secrets/resolve-secret.ts';
import { resolveSecret, SecretResolutionError } from '../secrets/resolve-secret.ts';

export interface RuntimeKey {
  id: string;
  secret: string;
  enabled: boolean;
}

/** A provider ready to serve: its adapter bound, base URL parsed, key secrets resolved. Built once per config. */
export interface RuntimeProvider {
  id: string;
  config: ProviderConfig;
  adapter: ProviderAdapter;
  endpoint: ProviderEndpoint;
  keys: RuntimeKey[];
  /** Models known without asking the provider: the configured list, else the kind's or preset's defaults. */
  models: readonly string[];
  /** Proxy per key and timeouts (docs/providers.md "Proxies"). */
  outbound: OutboundSettings;
  /** copilot / codex / gemini-cli: the signed-in accounts that serve instead of keys (docs/accounts.md). */
  accounts?: ProviderAccounts;
  /** How the accounts reach their vendor (proxy, host overrides, the OAuth client's secret), for sign-ins. */
  accountBinding?: ProviderBinding;
}

export interface RuntimeConfig {
  config: SwitchyardConfig;
  providers: Map<string, RuntimeProvider>;
  clientKeys: string[];
  managementToken: string;
}

export class RuntimeConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.name = 'RuntimeConfigError';
    this.problems = problems;
  }
}

export interface LocalCredentials {
  clientKey: string;
  managementToken: string;
}

/**
 * Resolves every secret reference of a validated config and binds provider adapters. All problems are collected
 * (not just the first), so a user fixes their config in one go. Resolved secrets are registered with the masker
 * before anything can log them.
 */
export async function buildRuntimeConfig(
  config: SwitchyardConfig,
  sources: SecretSources,
  local: LocalCredentials,
  masker: SecretMasker,
  /** Signed-in accounts for copilot / codex providers; without it such providers answer that none is signed in. */
  accountPool?: AccountPool,
): Promise<RuntimeConfig> {
  const problems: string[] = [];
  const resolve = async (ref: Parameters<typeof resolveSecret>[0], where: string): Promise<string | undefined> => {
    try {
      const secret = await resolveSecret(ref, sources, where);
      masker.register(secret);
      return secret;
    } catch (error) {
      if (error instanceof SecretResolutionError) problems.push(error.message);
      else throw error;
      return undefined;
    }
  };

  const providers = new Map<string, RuntimeProvider>();
  for (const [index, provider] of config.providers.entries()) {
    const kind = providerAdapter(provider.type);
    const adapter = kind ? configuredAdapter(kind, provider) : undefined;
    if (!adapter) {
      problems.push(`providers[${index}].type: provider type "${provider.type}" is not available in this build`);
      continue;
    }
    let endpoint: ProviderEndpoint | undefined;
    try {
      // network.hostOverrides sends a vendor host elsewhere (enterprise mirrors, the tests' fakes).
      endpoint = adapter.endpoint(applyHostOverride(provider.baseUrl ?? adapter.defaultBaseUrl, config.network?.hostOverrides));
    } catch {
      problems.push(`providers[${index}].baseUrl: not a valid URL`);
      continue;
    }
    if (provider.enabled && provider.keys.length === 0 && kindNeedsKey(provider.type)) {
      // Sending an empty `Authorization: Bearer` would only earn a 401 from the provider on every request.
      problems.push(`providers[${index}].keys: provider "${provider.id}" (${provider.type}) needs an API key; add one, or switch the provider off`);
      continue;
    }
    const keys: RuntimeKey[] = [];
    for (const [keyIndex, key] of provider.keys.entries()) {
      const secret = await resolve(key.secret, `providers[${index}].keys[${keyIndex}].secret`);
      if (secret !== undefined) keys.push({ id: key.id, secret, enabled: key.enabled });
    }
    // Keyless upstreams (a local Ollama) still go through the guard, which schedules by key: give it the one slot.
    if (servedWithoutKey(provider)) keys.push({ id: keylessKeyId, secret: '', enabled: true });
    const models = provider.models.length > 0 ? provider.models : (adapter.defaultModels ?? []);
    const outbound = resolveOutboundSettings(provider, endpoint.origin, config.network, sources.env);
    for (const key of provider.keys) if (key.proxy && key.proxy !== 'direct') masker.register(new URL(key.proxy).password);
    if (provider.proxy && provider.proxy !== 'direct') masker.register(new URL(provider.proxy).password);
    if (isAccountProviderType(provider.type)) {
      if (provider.keys.length > 0) problems.push(`providers[${index}].keys: a ${provider.type} provider serves signed-in accounts, not keys; remove "keys" and sign in with: switchyard accounts add ${provider.type} --provider ${provider.id}`);
      // An organisation's own OAuth client may come with a secret (gemini-cli): read like a key, never stored in settings.
      const clientSecret = provider.oauth?.clientSecret ? await resolve(provider.oauth.clientSecret, `providers[${index}].oauth.clientSecret`) : undefined;
      const binding: ProviderBinding = {
        config: provider,
        ...(outbound.proxyFor(undefined) ? { proxy: outbound.proxyFor(undefined)! } : {}),
        ...(config.network?.hostOverrides ? { hostOverrides: config.network.hostOverrides } : {}),
        ...(clientSecret !== undefined ? { clientSecret } : {}),
      };
      const accounts = accountPool ? accountPool.bind(binding) : unavailableAccounts(provider.id);
      providers.set(provider.id, { id: provider.id, config: provider, adapter, endpoint, keys, models, outbound, accounts, accountBinding: binding });
      continue;
    }
    providers.set(provider.id, { id: provider.id, config: provider, adapter, endpoint, keys, models, outbound });
  }

  const clientKeys: string[] = [];
  for (const [index, ref] of config.server.clientKeys.entries()) {
    const secret = await resolve(ref, `server.clientKeys[${index}]`);
    if (secret !== undefined) clientKeys.push(secret);
  }
  if (config.server.clientKeys.length === 0) clientKeys.push(local.clientKey);
  masker.register(local.clientKey);

  const managementToken = config.server.managementToken
    ? await resolve(config.server.managementToken, 'server.managementToken')
    : local.managementToken;
  masker.register(local.managementToken);

  if (problems.length > 0) throw new RuntimeConfigError(problems);
  return { config, providers, clientKeys, managementToken: managementToken ?? local.managementToken };
}

/** What the guard needs from the runtime config. */
export function guardProviders(runtime: RuntimeConfig): GuardProvider[] {
  return [...runtime.providers.values()].map((provider) => {
    const { limits, providerLimits, queue, retry, breaker, dedup, guardPreset, keyStrategy } = provider.config;
    return {
      id: provider.id,
      keyStrategy,
      settings: { limits, providerLimits, queue, retry, breaker, dedup, guardPreset },
      ...(provider.accounts ? { noKeysHint: `no signed-in account; sign in with: switchyard accounts add ${provider.config.type} --provider ${provider.id}` } : {}),
      keys: provider.accounts ? provider.accounts.guardKeys() : provider.keys.map((key) => {
        const configured = provider.config.keys.find((candidate) => candidate.id === key.id);
        return { id: key.id, secret: key.secret, enabled: key.enabled, weight: configured?.weight, limits: configured?.limits };
      }),
    };
  });
}
