import type { ProviderConfig } from '../../../shared/config/provider-schema.ts';
import { providerAdapter } from './index.ts';

/**
 * Keyless providers, in one place. Whether a provider kind takes a key is its adapter's capability
 * (`requiresKey: false` for a local Ollama). A keyless provider configured without keys is served through one slot
 * with this id, so the guard can pace and break it like any key; the views show that slot as "the endpoint".
 */
export const keylessKeyId = 'no-key';

/** False only for kinds whose adapter takes no key. Unknown kinds need one (they are refused elsewhere anyway). */
export function kindNeedsKey(type: ProviderConfig['type']): boolean {
  return providerAdapter(type)?.requiresKey !== false;
}

/** A provider served through the keyless slot: its kind takes no key and none is configured. */
export function servedWithoutKey(provider: Pick<ProviderConfig, 'type' | 'keys'>): boolean {
  return provider.keys.length === 0 && !kindNeedsKey(provider.type);
}
