import type { RuntimeProvider } from './runtime-config.ts';
import type { ProviderEndpoint } from '../providers/provider-adapter.ts';
import type { AccountCredential } from '../accounts/account-kind.ts';

/** Who a send goes out as and where: the leased key, or a signed-in account's token and its own API origin. */
export interface SendTarget {
  credential: string;
  endpoint: ProviderEndpoint;
  configHeaders?: Record<string, string>;
  /** Set for accounts: the token used, for the refresh-once-and-retry-once after a 401. */
  account?: AccountCredential;
}

export function keyTarget(provider: RuntimeProvider, secret: string): SendTarget {
  return { credential: secret, endpoint: provider.endpoint, ...(provider.config.headers ? { configHeaders: provider.config.headers } : {}) };
}

export function accountTarget(provider: RuntimeProvider, account: AccountCredential): SendTarget {
  return {
    credential: account.token,
    endpoint: account.baseUrl ? provider.adapter.endpoint(account.baseUrl) : provider.endpoint,
    configHeaders: { ...account.headers, ...provider.config.headers },
    account,
  };
}
