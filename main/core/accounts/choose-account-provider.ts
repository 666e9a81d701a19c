import type { SwitchyardConfig } from '../../../shared/config/config-schema.ts';
import type { AccountKind, ProviderConfig } from '../../../shared/config/provider-schema.ts';

export type ProviderChoice =
  | { kind: 'existing'; provider: ProviderConfig }
  /** No provider of the kind yet: create this one in the settings (only when they are not a --config file). */
  | { kind: 'create'; id: string }
  | { kind: 'error'; message: string };

/**
 * Which provider a new account joins (`switchyard accounts add`): the one named with --provider, else the only
 * provider of that kind; with none, one is created in the dashboard's settings, but never in a hand-written
 * --config file, which Switchyard does not rewrite.
 */
export function chooseAccountProvider(config: SwitchyardConfig, kind: AccountKind, options: { providerId?: string; configFile?: string }): ProviderChoice {
  const ofKind = config.providers.filter((provider) => provider.type === kind);
  const addToFile = (id: string) =>
    `Add a provider to ${options.configFile} first, e.g. {"id": "${id}", "type": "${kind}"} in "providers", then run this again.`;
  if (options.providerId !== undefined) {
    const named = config.providers.find((provider) => provider.id === options.providerId);
    if (named && named.type !== kind) return { kind: 'error', message: `The provider "${named.id}" is of type ${named.type}, not ${kind}.` };
    if (named) return { kind: 'existing', provider: named };
    if (options.configFile) return { kind: 'error', message: `${options.configFile} has no provider "${options.providerId}". ${addToFile(options.providerId)}` };
    return { kind: 'create', id: options.providerId };
  }
  if (ofKind.length === 1) return { kind: 'existing', provider: ofKind[0]! };
  if (ofKind.length > 1) return { kind: 'error', message: `There are ${ofKind.length} ${kind} providers (${ofKind.map((provider) => provider.id).join(', ')}): say which with --provider <id>.` };
  if (options.configFile) return { kind: 'error', message: `${options.configFile} has no ${kind} provider. ${addToFile(kind)}` };
  let id: string = kind;
  for (let suffix = 2; config.providers.some((provider) => provider.id === id); suffix += 1) id = `${kind}-${suffix}`;
  return { kind: 'create', id };
}
