import type { SecretRef } from '../../../shared/config/secret-ref-schema.ts';
import { lastFour } from '../guard/key-label.ts';
import type { SecretStore } from '../secrets/secret-store.ts';

export interface SecretFacts {
  source: 'keychain' | 'env' | 'inline';
  /** Last four characters ('' for short or missing secrets). */
  last4: string;
  /** Why the secret cannot be found, when it cannot. */
  missing: string | null;
  /** The value, kept in main for duplicate checks; never put into a view. */
  value: string | undefined;
}

function cacheKey(ref: SecretRef): string {
  return typeof ref === 'string' ? `inline:${ref}` : JSON.stringify(ref);
}

/**
 * Looks up what the UI may know about a key's secret (its source, last four, whether it exists) without the
 * secret leaving main. Keychain reads are cached, since a list of providers would otherwise ask the keychain once
 * per key per refresh; the cache is dropped whenever keys change.
 */
export class SecretFactsCache {
  readonly #store: SecretStore;
  readonly #env: Record<string, string | undefined>;
  readonly #cache = new Map<string, Promise<SecretFacts>>();

  constructor(store: SecretStore, env: Record<string, string | undefined>) {
    this.#store = store;
    this.#env = env;
  }

  clear(): void {
    this.#cache.clear();
  }

  facts(ref: SecretRef): Promise<SecretFacts> {
    const key = cacheKey(ref);
    let found = this.#cache.get(key);
    if (!found) {
      found = this.#lookup(ref);
      this.#cache.set(key, found);
      found.catch(() => this.#cache.delete(key));
    }
    return found;
  }

  async #lookup(ref: SecretRef): Promise<SecretFacts> {
    if (typeof ref === 'string') return { source: 'inline', last4: lastFour(ref), missing: null, value: ref };
    if ('env' in ref) {
      const value = this.#env[ref.env];
      if (value === undefined || value === '') return { source: 'env', last4: '', missing: `${ref.env} is not set`, value: undefined };
      return { source: 'env', last4: lastFour(value), missing: null, value };
    }
    let value: string | undefined;
    try {
      value = await this.#store.get(ref.keychain);
    } catch (error) {
      return { source: 'keychain', last4: '', missing: `the ${this.#store.kind} cannot be read (${(error as Error).message})`, value: undefined };
    }
    if (value === undefined) return { source: 'keychain', last4: '', missing: `not found in the ${this.#store.kind}`, value: undefined };
    return { source: 'keychain', last4: lastFour(value), missing: null, value };
  }
}
