import type { Clock } from '../guard/clock.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { AccountKindDriver, KindContext } from './account-kind.ts';
import { GrantRefusedError } from './account-kind.ts';
import type { AccountTokens } from './account-record.ts';
import { parseAccountTokens, secretId } from './account-record.ts';
import { SignInAgainError } from './sign-in-error.ts';

export interface TokenSourceOptions {
  accountId: string;
  driver: AccountKindDriver;
  secrets: SecretStore;
  /** The kind's context (vendor HTTP through the provider's proxy, client id). */
  context: () => KindContext;
  clock: Clock;
  random: () => number;
  /** Called once when the vendor refused the grant for good; awaited before the refusal is reported. */
  onRefused(message: string): void | Promise<void>;
  /** Called after every stored refresh (to re-read the quota, say). */
  onRefreshed?(tokens: AccountTokens): void;
}

/**
 * The access token of one account (docs/accounts.md "Refresh"). Cheap while the token is valid; refreshes
 * from the local expiry (vendors may answer an expired token with 429 rather than 401) a lead time ahead, with
 * jitter so many accounts do not refresh together. Refreshes of one account run one at a time and callers share
 * the one in flight; the new tokens (a rotated refresh token above all) are in the SecretStore before anyone uses
 * them. A refused grant marks the account "sign in again" and is never retried.
 */
export class TokenSource {
  readonly #options: TokenSourceOptions;
  #tokens: AccountTokens | undefined;
  /** When the current access token is due for a refresh (expiry - lead - jitter, or the vendor's refresh_in). */
  #refreshBy = 0;
  #inFlight: Promise<AccountTokens> | undefined;
  #refused: string | undefined;
  refreshes = 0;

  constructor(options: TokenSourceOptions) {
    this.#options = options;
  }

  /** Tokens good for a request now, refreshing first when they are due. */
  async valid(): Promise<AccountTokens> {
    if (this.#refused) throw new SignInAgainError(this.#options.accountId, this.#refused);
    const tokens = this.#tokens ?? (await this.#load());
    if (tokens.accessToken && this.#options.clock.now() < this.#refreshBy) return tokens;
    return this.refresh();
  }

  /**
   * A request with `usedToken` was refused though the token had not expired locally: refresh once. When another
   * caller already replaced that token, its replacement is used instead of refreshing again.
   */
  async afterUnauthorized(usedToken: string): Promise<AccountTokens> {
    if (this.#tokens?.accessToken && this.#tokens.accessToken !== usedToken) return this.#tokens;
    return this.refresh();
  }

  /** Serialised, deduplicated refresh: ten callers at once cause one call to the vendor. */
  refresh(): Promise<AccountTokens> {
    this.#inFlight ??= this.#refresh().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /** Drops what is cached (the account was signed in again elsewhere, or removed). */
  forget(): void {
    this.#tokens = undefined;
    this.#refreshBy = 0;
    this.#refused = undefined;
  }

  async #load(): Promise<AccountTokens> {
    const tokens = parseAccountTokens(await this.#options.secrets.get(secretId(this.#options.accountId)));
    if (!tokens) {
      const message = `no tokens for this account in the ${this.#options.secrets.kind}; sign in again`;
      await this.#refuse(message);
      throw new SignInAgainError(this.#options.accountId, message);
    }
    this.#adopt(tokens);
    return tokens;
  }

  async #refresh(): Promise<AccountTokens> {
    const current = this.#tokens ?? (await this.#load());
    let fresh: AccountTokens;
    try {
      this.refreshes += 1;
      fresh = await this.#options.driver.refresh(current, this.#options.context());
    } catch (error) {
      if (error instanceof GrantRefusedError) {
        await this.#refuse(error.message);
        throw new SignInAgainError(this.#options.accountId, error.message);
      }
      throw error;
    }
    // Stored before it is handed out: a crash after this line cannot lose a rotated refresh token.
    await this.#options.secrets.set(secretId(this.#options.accountId), JSON.stringify(fresh));
    this.#adopt(fresh);
    this.#options.onRefreshed?.(fresh);
    return fresh;
  }

  #adopt(tokens: AccountTokens): void {
    this.#tokens = tokens;
    const { refreshLeadMs, refreshJitterMs } = this.#options.driver;
    const byExpiry = (tokens.expiresAt ?? 0) - refreshLeadMs - this.#options.random() * refreshJitterMs;
    this.#refreshBy = Math.min(byExpiry, tokens.refreshAt ?? Number.POSITIVE_INFINITY);
  }

  async #refuse(message: string): Promise<void> {
    if (this.#refused) return;
    this.#refused = message;
    await this.#options.onRefused(message);
  }
}
