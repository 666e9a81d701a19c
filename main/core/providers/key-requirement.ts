import type { ProviderConfig } from '../../../shared/config/provider-schema.ts';
import { isAccountProviderType } from '../../../shared/config/provider-schema.ts';
import { providerAdapter } from './index.ts';

/**
 * Keyless providers, in one place. Whether a provider kind takes a key is its adapter's capability
 * (`requiresKey: false` for a local Ollama). A keyless provider configured without keys is served through one slot
 * with this id, so the guard can pace and break it like any key; the views show that slot as "the endpoint".
 */
export const keylessKeyId = 'no-key';

/** Whether the kind's adapter works without any credential (a local Ollama). */
function takesNoCredential(type: ProviderConfig['type']): boolean {
  return providerAdapter(type)?.requiresKey === false;
}

/**
 * Whether a provider of this kind needs an API key: false for keyless kinds and for account kinds (copilot, codex),
 * whose credentials are signed-in accounts instead. Unknown kinds need one (they are refused elsewhere anyway).
 */
export function kindNeedsKey(type: ProviderConfig['type']): boolean {
  return !isAccountProviderType(type) && !takesNoCredential(type);
}

/** A provider served through the keyless slot: its kind takes no credential at all and no key is configured. */
export function servedWithoutKey(provider: Pick<ProviderConfig, 'type' | 'keys'>): boolean {
  return provider.keys.length === 0 && takesNoCredential(provider.type);
}
