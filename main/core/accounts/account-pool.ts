import { EventEmitter } from 'node:events';
import type { AccountKind, ProviderConfig } from '../../../shared/config/provider-schema.ts';
import { ProxyError } from '../errors/proxy-error.ts';
import type { AccountStanding } from '../guard/account-standing.ts';
import type { Clock } from '../guard/clock.ts';
import { systemClock } from '../guard/clock.ts';
import type { GuardKey, ResponseHeaders } from '../guard/guard-contract.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { UpstreamClient } from '../upstream/upstream-client.ts';
import type { AccountCredential, AccountKindDriver, KindContext, SignInBlocker, SignInOptions, SignInPrompt, SignedIn } from './account-kind.ts';
import { accountKindDrivers } from './account-kinds.ts';
import type { AccountRecord, AccountTokens } from './account-record.ts';
import { accountIdFor, secretId } from './account-record.ts';
import { AccountRegistry } from './account-registry.ts';
import type { HostOverrides } from './host-overrides.ts';
import { applyHostOverride } from './host-overrides.ts';
import { SignInAgainError } from './sign-in-error.ts';
import { TokenSource } from './token-source.ts';

export interface AccountPoolOptions {
  dataDir: string;
  secrets: SecretStore;
  /** Connection pools for vendor calls; the pool opens (and closes) its own when absent. */
  upstream?: UpstreamClient;
  clock?: Clock;
  random?: () => number;
  drivers?: Record<AccountKind, AccountKindDriver>;
  /** Registers a token with the log masker before it is used, so no log line can carry it. */
  mask?: (secret: string) => void;
}

export interface AccountEvents {
  /** The vendor refused an account's grant: the tray turns amber, a notification says which account. */
  'needs-sign-in': [{ accountId: string; providerId: string; label: string; reason: string }];
  /** Accounts were added, updated or removed. */
  changed: [];
}

/** How one provider's accounts reach their vendor: its proxy and the configured host overrides. */
export interface ProviderBinding {
  config: ProviderConfig;
  proxy?: string;
  hostOverrides?: HostOverrides;
  /** `oauth.clientSecret`, resolved (gemini-cli with an organisation's own OAuth client). */
  clientSecret?: string;
}

/** What the request path uses to send as one of a provider's accounts. */
export interface ProviderAccounts {
  guardKeys(): GuardKey[];
  credential(accountId: string): Promise<AccountCredential>;
  /** A 401 for a token not expired locally: refresh once (shared with concurrent callers) and return the new one. */
  afterUnauthorized(accountId: string, usedToken: string): Promise<AccountCredential>;
  /** A response's headers, for usage windows (Codex's x-codex-*). */
  observe(accountId: string, headers: ResponseHeaders): void;
  /** A failed send: a spent subscription quota (Codex usage_limit_reached) takes the whole account out until its reset. */
  noteFailure(accountId: string, error: ProxyError): void;
}

export interface SignInHandle {
  prompt: SignInPrompt;
  /** The stored account; `updated` when it was already known (a second sign-in replaces its tokens). */
  done: Promise<{ record: AccountRecord; updated: boolean }>;
  cancel(): void;
  submitRedirectUrl?(url: string): void;
}

/**
 * Signed-in accounts at run time (docs/accounts.md): the records of `accounts.json`, one token source per account,
 * and the live standing the guard reads. Sign-ins store the tokens in the SecretStore first and the record second,
 * so a failed or cancelled sign-in leaves nothing behind.
 */
export class AccountPool extends EventEmitter<AccountEvents> {
  readonly registry: AccountRegistry;
  readonly #options: AccountPoolOptions;
  readonly #drivers: Record<AccountKind, AccountKindDriver>;
  readonly #clock: Clock;
  #records = new Map<string, AccountRecord>();
  readonly #standing = new Map<string, AccountStanding>();
  readonly #sources = new Map<string, TokenSource>();
  readonly #bindings = new Map<string, ProviderBinding>();
  readonly #upstream: UpstreamClient;
  readonly #ownsUpstream: boolean;

  constructor(options: AccountPoolOptions) {
    super();
    this.#options = options;
    this.#drivers = options.drivers ?? accountKindDrivers;
    this.#clock = options.clock ?? systemClock;
    this.registry = new AccountRegistry(options.dataDir);
    this.#ownsUpstream = options.upstream === undefined;
    this.#upstream = options.upstream ?? new UpstreamClient();
  }

  /** Closes the vendor connections this pool opened itself. */
  async close(): Promise<void> {
    if (this.#ownsUpstream) await this.#upstream.close();
  }

  /** Reads accounts.json. Call once before binding providers. */
  async load(): Promise<AccountRecord[]> {
    const records = await this.registry.list();
    this.#records = new Map(records.map((record) => [record.id, record]));
    for (const record of records) this.#standingOf(record);
    return records;
  }

  records(providerId?: string): AccountRecord[] {
    return [...this.#records.values()].filter((record) => providerId === undefined || record.providerId === providerId);
  }

  standing(accountId: string): AccountStanding | undefined {
    return this.#standing.get(accountId);
  }

  tokenSource(accountId: string): TokenSource | undefined {
    const record = this.#records.get(accountId);
    return record ? this.#sourceOf(record) : undefined;
  }

  /** The accounts of one provider as the request path and the guard see them. Rebound on every config change. */
  bind(binding: ProviderBinding): ProviderAccounts {
    this.#bindings.set(binding.config.id, binding);
    const providerId = binding.config.id;
    const recordOf = (accountId: string): AccountRecord => {
      const record = this.#records.get(accountId);
      if (!record || record.providerId !== providerId) {
        throw new ProxyError({ code: 'no_available_key', status: 503, scope: 'local', provider: providerId, message: `${providerId}: no signed-in account. Sign in with: switchyard accounts add ${binding.config.type} --provider ${providerId}` });
      }
      return record;
    };
    const credentialFrom = async (record: AccountRecord, get: (source: TokenSource) => Promise<AccountTokens>): Promise<AccountCredential> => {
      const source = this.#sourceOf(record);
      try {
        const credential = this.#drivers[record.kind].credential(await get(source));
        this.#options.mask?.(credential.token);
        return credential.baseUrl ? { ...credential, baseUrl: applyHostOverride(credential.baseUrl, binding.hostOverrides) } : credential;
      } catch (error) {
        throw this.#asProxyError(error, record);
      }
    };
    return {
      guardKeys: () =>
        this.records(providerId).map((record) => ({ id: record.id, secret: '', enabled: true, account: this.#standingOf(record) })),
      credential: (accountId) => credentialFrom(recordOf(accountId), (source) => source.valid()),
      afterUnauthorized: (accountId, usedToken) => credentialFrom(recordOf(accountId), (source) => source.afterUnauthorized(usedToken)),
      observe: (accountId, headers) => {
        const record = this.#records.get(accountId);
        // An answer came: whatever the vendor last asked the person to do about this account is no longer current.
        const standing = record ? this.#standingOf(record) : undefined;
        if (standing?.state === 'ready') delete standing.stateReason;
        const quota = record ? this.#drivers[record.kind].quotaFromHeaders?.(headers, this.#clock.now()) : undefined;
        if (standing && quota) standing.quota = quota;
      },
      noteFailure: (accountId, error) => {
        const record = this.#records.get(accountId);
        // The vendor refuses this account until the person acts (verify it, fix its project): say so on the account.
        if (record && error.code === 'permission_denied') this.#standingOf(record).stateReason = error.message.replace(`${providerId}: `, '');
        if (!record || error.code !== 'quota_exhausted' || error.resetAt === undefined || this.#drivers[record.kind].quotaPerModel) return;
        const standing = this.#standingOf(record);
        const now = this.#clock.now();
        standing.quota = { windows: standing.quota?.windows ?? [], readAt: now, exhaustedUntil: Math.max(error.resetAt, standing.quota?.exhaustedUntil ?? 0) };
      },
    };
  }

  /**
   * At start: accounts whose access token expired while Switchyard was not running refresh now (a refused one is
   * marked "sign in again" at once instead of on the first request), and quotas are read.
   */
  async warmUp(): Promise<void> {
    await Promise.all(
      this.records().map(async (record) => {
        if (!this.#bindings.has(record.providerId) || record.state === 'sign-in-again') return;
        try {
          const tokens = await this.#sourceOf(record).valid();
          await this.#readQuota(record, tokens);
        } catch {
          // Marked in its standing (refused) or tried again on the first request (network).
        }
      }),
    );
  }

  /** What stops a sign-in for this provider before it starts (gemini-cli without a client secret), if anything. */
  signInBlocker(kind: AccountKind, binding: ProviderBinding): SignInBlocker | undefined {
    const driver = this.#drivers[kind];
    return driver.signInBlocker?.(this.#context(binding, driver));
  }

  /** Starts a sign-in for a provider of the account's kind. Nothing is stored unless it completes. */
  async signIn(kind: AccountKind, binding: ProviderBinding, options: SignInOptions & { clock?: Clock } = {}): Promise<SignInHandle> {
    const driver = this.#drivers[kind];
    const context = { ...this.#context(binding, driver), ...(options.clock ? { clock: options.clock } : {}) };
    const oauth = binding.config.oauth;
    // The provider's configured IAM Identity Center portal is the default; what the person enters wins.
    const startUrl = options.startUrl ?? oauth?.startUrl;
    const region = options.region ?? oauth?.region;
    const pending = await driver.signIn(context, { ...options, ...(startUrl ? { startUrl } : {}), ...(region ? { region } : {}) });
    const done = pending.result.then((signedIn) => this.#store(kind, binding.config.id, signedIn));
    done.catch(() => {});
    return { prompt: pending.prompt, done, cancel: () => pending.cancel(), ...(pending.submitRedirectUrl ? { submitRedirectUrl: pending.submitRedirectUrl } : {}) };
  }

  /** Removes an account: its tokens from the SecretStore and its record. */
  async remove(accountId: string): Promise<AccountRecord | undefined> {
    const record = await this.registry.remove(accountId);
    await this.#options.secrets.delete(secretId(accountId));
    this.#records.delete(accountId);
    this.#standing.delete(accountId);
    this.#sources.delete(accountId);
    if (record) this.emit('changed');
    return record;
  }

  async #store(kind: AccountKind, providerId: string, signedIn: SignedIn): Promise<{ record: AccountRecord; updated: boolean }> {
    const known = await this.registry.list();
    const same = known.find((record) => record.providerId === providerId && record.kind === kind && record.vendorAccountId === signedIn.vendorAccountId);
    let id = same?.id ?? accountIdFor(kind, signedIn.label);
    for (let suffix = 2; !same && known.some((record) => record.id === id); suffix += 1) id = `${accountIdFor(kind, signedIn.label)}-${suffix}`;
    const now = new Date(this.#clock.now()).toISOString();
    // Tokens first: if writing the record fails they are removed again, so no half-stored account remains.
    await this.#options.secrets.set(secretId(id), JSON.stringify(signedIn.tokens));
    let result: { record: AccountRecord; updated: boolean };
    try {
      result = await this.registry.upsert({
        id,
        kind,
        providerId,
        label: signedIn.label,
        vendorAccountId: signedIn.vendorAccountId,
        ...(signedIn.plan ? { plan: signedIn.plan } : {}),
        ...(signedIn.project ? { project: signedIn.project } : {}),
        ...(signedIn.profileArn ? { profileArn: signedIn.profileArn } : {}),
        state: 'ready',
        addedAt: same?.addedAt ?? now,
        updatedAt: now,
      });
    } catch (error) {
      if (!same) await this.#options.secrets.delete(secretId(id)).catch(() => {});
      throw error;
    }
    this.#records.set(result.record.id, result.record);
    this.#sources.delete(result.record.id);
    Object.assign(this.#standingOf(result.record), { label: result.record.label, plan: result.record.plan, state: 'ready', stateReason: undefined });
    this.emit('changed');
    // The provider card shows the quota right after a sign-in, not only after the first refresh.
    void this.#readQuota(result.record, signedIn.tokens).catch(() => {});
    return result;
  }

  #context(binding: ProviderBinding, driver: AccountKindDriver): KindContext {
    return {
      http: { upstream: this.#upstream, ...(binding.hostOverrides ? { hostOverrides: binding.hostOverrides } : {}), ...(binding.proxy ? { proxy: binding.proxy } : {}) },
      clientId: binding.config.oauth?.clientId ?? driver.defaultClientId,
      // An organisation's own client comes with its own secret; the public client's is the driver's.
      ...(binding.clientSecret !== undefined || (!binding.config.oauth?.clientId && driver.defaultClientSecret) ? { clientSecret: binding.clientSecret ?? driver.defaultClientSecret! } : {}),
      now: () => this.#clock.now(),
      vault: { get: (id) => this.#options.secrets.get(`${driver.kind}:${id}`), set: (id, secret) => this.#options.secrets.set(`${driver.kind}:${id}`, secret) },
    };
  }

  #standingOf(record: AccountRecord): AccountStanding {
    let standing = this.#standing.get(record.id);
    if (!standing) {
      standing = { label: record.label, state: record.state, ...(record.plan ? { plan: record.plan } : {}), ...(record.stateReason ? { stateReason: record.stateReason } : {}) };
      this.#standing.set(record.id, standing);
    }
    return standing;
  }

  #sourceOf(record: AccountRecord): TokenSource {
    let source = this.#sources.get(record.id);
    if (source) return source;
    const driver = this.#drivers[record.kind];
    source = new TokenSource({
      accountId: record.id,
      driver,
      secrets: this.#options.secrets,
      clock: this.#clock,
      random: this.#options.random ?? Math.random,
      context: () => this.#context(this.#bindings.get(record.providerId) ?? { config: { id: record.providerId, type: record.kind } as ProviderConfig }, driver),
      onRefused: (reason) => this.#refused(record, reason),
      onRefreshed: (tokens) => void this.#readQuota(record, tokens).catch(() => {}),
    });
    this.#sources.set(record.id, source);
    return source;
  }

  async #readQuota(record: AccountRecord, tokens: Parameters<NonNullable<AccountKindDriver['readQuota']>>[0]): Promise<void> {
    const driver = this.#drivers[record.kind];
    const binding = this.#bindings.get(record.providerId);
    if (!driver.readQuota || !binding) return;
    const quota = await driver.readQuota(tokens, this.#context(binding, driver));
    if (quota) this.#standingOf(record).quota = quota;
  }

  async #refused(record: AccountRecord, reason: string): Promise<void> {
    const standing = this.#standingOf(record);
    standing.state = 'sign-in-again';
    standing.stateReason = reason;
    // Persisted, so the account is still marked after a restart (and `accounts list` says so).
    await this.registry.update(record.id, { state: 'sign-in-again', stateReason: reason }).catch(() => {});
    this.emit('needs-sign-in', { accountId: record.id, providerId: record.providerId, label: record.label, reason });
  }

  #asProxyError(error: unknown, record: AccountRecord): ProxyError {
    if (error instanceof ProxyError) return error;
    if (error instanceof SignInAgainError) {
      return new ProxyError({
        code: 'auth_failed',
        status: 401,
        scope: 'key',
        provider: record.providerId,
        keyId: record.id,
        message: `${record.providerId}: the account ${record.label} must sign in again (${error.message}). Run: switchyard accounts add ${record.kind} --provider ${record.providerId}`,
      });
    }
    const message = error instanceof Error ? error.message : String(error);
    return new ProxyError({ code: 'upstream_unavailable', status: 502, scope: 'key', retryable: true, provider: record.providerId, keyId: record.id, message: `${record.providerId}: could not get a token for ${record.label}: ${message}`, cause: error });
  }
}
