import { ProxyError } from '../errors/proxy-error.ts';
import type { ProviderAccounts } from './account-pool.ts';

/** Accounts of a provider in an engine started without an account store (tests, embedders): none can serve. */
export function unavailableAccounts(providerId: string): ProviderAccounts {
  const refuse = (): never => {
    throw new ProxyError({ code: 'no_available_key', status: 503, scope: 'local', provider: providerId, message: `${providerId}: signed-in accounts are not available in this engine (no data dir with accounts)` });
  };
  return { guardKeys: () => [], credential: async () => refuse(), afterUnauthorized: async () => refuse(), observe: () => {}, noteFailure: () => {} };
}
