import { EventEmitter } from 'node:events';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SwitchyardConfig } from '../../shared/config/config-schema.ts';
import { isAccountProviderType } from '../../shared/config/provider-schema.ts';
import type { ExecutionGuard } from './guard/guard-contract.ts';
import { createExecutionGuard } from './guard/execution-guard.ts';
import type { Logger } from './logging/logger.ts';
import { createLogger } from './logging/logger.ts';
import type { LocalCredentials, RuntimeConfig } from './config/runtime-config.ts';
import { buildRuntimeConfig, guardProviders } from './config/runtime-config.ts';
import type { SecretStore } from './secrets/secret-store.ts';
import { AccountPool } from './accounts/account-pool.ts';
import type { SignInBlocker, SignInOptions } from './accounts/account-kind.ts';
import type { StartedFlow } from './accounts/sign-in-flows.ts';
import { SignInFlows } from './accounts/sign-in-flows.ts';
import type { ClientKeyCheck } from './server/client-auth.ts';
import { RecentClients } from './server/recent-clients.ts';
import { createHttpServer } from './server/http-server.ts';
import { ManagementRouter } from './server/management-router.ts';
import { UpstreamClient } from './upstream/upstream-client.ts';
import type { CatalogEntry } from './router/model-catalog.ts';
import { ModelCatalog } from './router/model-catalog.ts';
import type { RoutePreviewInput } from './router/preview-route.ts';
import { previewRoute } from './router/preview-route.ts';
import type { RoutePlan } from './router/resolve-targets.ts';
import { createRouterState } from './router/router-state.ts';
import type { RouterState } from './router/router-state.ts';
import { fetchModelList } from './router/fetch-model-list.ts';
import type { UsageLedger } from './usage/usage-ledger.ts';
import { openUsageLedger } from './usage/usage-ledger.ts';
import { RequestLog } from './usage/request-log/request-log.ts';
import type { UpstreamTimeouts } from './upstream/upstream-client.ts';
import type { StepProbe } from './pipeline/pipeline-deps.ts';

export interface EngineOptions {
  config: SwitchyardConfig;
  /** The generated client key and management token (data dir headless, keychain in the app). */
  local: LocalCredentials;
  env?: Record<string, string | undefined>;
  /** The OS keychain in the desktop app; absent headless. */
  keychain?: SecretStore;
  logger?: Logger;
  guard?: ExecutionGuard;
  upstreamTimeouts?: Partial<UpstreamTimeouts>;
  /** Built dashboard to serve in web mode. */
  uiDir?: string;
  /** Per-tool client keys (`switchyard clients`), accepted beside the configured client keys; changes count at once. */
  namedClientKeys?: ClientKeyCheck;
  now?: () => number;
  /**
   * Where signed-in accounts (copilot / codex providers) are kept: `<dataDir>/accounts.json` for what is not secret,
   * `secrets` for their tokens (docs/accounts.md). Without it such providers have no accounts.
   */
  accounts?: { dataDir: string; secrets: SecretStore };
  /**
   * Where the usage ledger keeps `usage.db` (docs/usage.md): opened when the engine is built, closed on stop.
   * Without it nothing is recorded and the usage channels say so.
   */
  dataDir?: string;
  /** Tests only: makes chosen steps of chosen requests throw (PipelineDeps.stepProbe). Never set in a real engine. */
  stepProbe?: StepProbe;
}

export interface EngineEvents {
  'config-applied': [RuntimeConfig];
  'active-combo-changed': [string | undefined];
  /** The engine is about to stop: long-lived responses (the dashboard's event stream) end now instead of holding up the grace period. */
  stopping: [];
}

/**
 * The Switchyard engine: one object that owns the HTTP server, the guard, the upstream connection pools and the
 * live configuration. Headless `serve` and the Electron shell both drive it through this interface; nothing here
 * knows about Electron.
 */
export class Engine extends EventEmitter<EngineEvents> {
  readonly logger: Logger;
  readonly guard: ExecutionGuard;
  /** The routes under /api/: empty until a control service registers the API contract on it (control-routes.ts). */
  readonly management = new ManagementRouter();
  /** Signed-in accounts, when the engine was given a place for them. */
  readonly accounts: AccountPool | undefined;
  /** Sign-ins in progress, for the control service (start, wait, cancel, paste the redirect URL). */
  readonly signIns: SignInFlows | undefined;
  /** The usage ledger: one record per client request; undefined without a data dir. */
  readonly usage: UsageLedger | undefined;
  /** Who connected recently, per remote address (docs/security.md); kept across restarts of the listener. */
  readonly recentClients: RecentClients;
  /** The opt-in request log (docs/request-log.md): off unless the config or the dashboard turns it on. */
  readonly requestLog: RequestLog;
  private readonly upstream: UpstreamClient;
  /** Round-robin turns of combos: kept across config changes and combo switches. */
  private readonly routerState: RouterState = createRouterState();
  readonly modelCatalog: ModelCatalog;
  private readonly options: EngineOptions;
  private current: RuntimeConfig;
  private server: Server | undefined;
  private stopped = false;
  private readonly inFlight = new Set<ServerResponse>();

  private constructor(options: EngineOptions, runtime: RuntimeConfig, logger: Logger, accounts: AccountPool | undefined) {
    super();
    this.options = options;
    this.accounts = accounts;
    // A damaged, locked or unwritable database is reported in the ledger's status; the engine serves regardless.
    this.usage = options.dataDir === undefined ? undefined : openUsageLedger({ dataDir: options.dataDir, config: runtime.config.usage, logger, now: options.now });
    this.requestLog = new RequestLog({ ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }), logger, ...(options.now ? { now: options.now } : {}), config: () => this.current.config.usage.requestLog });
    this.signIns = accounts ? new SignInFlows(accounts) : undefined;
    // A sign-in finished or an account was removed here: the guard's pool follows at once.
    accounts?.on('changed', () => void this.applyConfig(this.current.config).catch((error: unknown) => logger.warn('applying account changes failed', { error: String(error) })));
    accounts?.on('needs-sign-in', (event) => logger.warn('account must sign in again', { provider: event.providerId, account: event.accountId, login: event.label, reason: event.reason }));
    this.logger = logger;
    this.current = runtime;
    this.guard = options.guard ?? createExecutionGuard();
    this.guard.configure(guardProviders(runtime));
    this.upstream = new UpstreamClient(options.upstreamTimeouts);
    this.recentClients = new RecentClients({ now: options.now });
    this.modelCatalog = new ModelCatalog({ fetch: (provider, signal) => fetchModelList(provider, { guard: this.guard, upstream: this.upstream, now: this.options.now ?? Date.now }, signal) });
  }

  /** Builds an engine; throws RuntimeConfigError listing every unresolvable secret. */
  static async create(options: EngineOptions): Promise<Engine> {
    const logger = options.logger ?? createLogger({ level: options.config.server.logLevel });
    const accounts = options.accounts ? new AccountPool({ dataDir: options.accounts.dataDir, secrets: options.accounts.secrets, mask: (secret) => logger.masker.register(secret) }) : undefined;
    await accounts?.load();
    const runtime = await buildRuntimeConfig(options.config, { env: options.env ?? process.env, keychain: options.keychain }, options.local, logger.masker, accounts);
    const engine = new Engine(options, runtime, logger, accounts);
    // Accounts whose token expired while Switchyard was stopped refresh now; one refused is marked at once.
    void accounts?.warmUp();
    return engine;
  }

  /**
   * Starts a sign-in for an account of an account provider (copilot, codex, kiro, gemini-cli) of the current config, through that provider's
   * proxy and the configured host overrides. The account serves as soon as the config is applied again.
   */
  async startSignIn(providerId: string, options: SignInOptions = {}): Promise<StartedFlow> {
    const provider = this.current.providers.get(providerId);
    if (!this.signIns || !provider) throw new Error(this.signIns ? `No provider "${providerId}"` : 'This engine keeps no accounts (no data dir)');
    const { type } = provider.config;
    if (!isAccountProviderType(type)) throw new Error(`The provider "${providerId}" (${type}) takes API keys, not signed-in accounts`);
    if (provider.accountBinding) return this.signIns.start(type, provider.accountBinding, options);
    const proxy = provider.outbound.proxyFor(undefined);
    const hostOverrides = this.current.config.network?.hostOverrides;
    return this.signIns.start(type, { config: provider.config, ...(proxy ? { proxy } : {}), ...(hostOverrides ? { hostOverrides } : {}) }, options);
  }

  /** What stops a sign-in for this account provider before it starts (shown next to the terms), if anything. */
  signInBlocker(providerId: string): SignInBlocker | undefined {
    const provider = this.current.providers.get(providerId);
    if (!this.accounts || !provider || !isAccountProviderType(provider.config.type)) return undefined;
    return this.accounts.signInBlocker(provider.config.type, provider.accountBinding ?? { config: provider.config });
  }

  runtime(): RuntimeConfig {
    return this.current;
  }

  get config(): SwitchyardConfig {
    return this.current.config;
  }

  /** Applies a new config live. Requests already in flight finish on the config they started with. */
  async applyConfig(config: SwitchyardConfig): Promise<void> {
    // Accounts added meanwhile (the terminal, a finished sign-in) join with the new config.
    if (this.accounts) await this.accounts.load();
    const runtime = await buildRuntimeConfig(config, { env: this.options.env ?? process.env, keychain: this.options.keychain }, this.options.local, this.logger.masker, this.accounts);
    this.guard.configure(guardProviders(runtime));
    this.current = runtime;
    this.logger.level = config.server.logLevel;
    this.emit('config-applied', runtime);
  }

  /**
   * Switches the combo that serves bare model names, without rebuilding anything else. Requests read the runtime
   * once when they start, so those in flight finish on the target they started with.
   */
  setActiveCombo(name: string | undefined): void {
    if (name !== undefined && !this.current.config.combos.some((combo) => combo.name === name)) throw new Error(`No combo named "${name}"`);
    if (this.current.config.activeCombo === name) return;
    this.current = { ...this.current, config: { ...this.current.config, activeCombo: name } };
    this.logger.info('active combo switched', { activeCombo: name ?? '(none)' });
    this.emit('active-combo-changed', name);
  }

  /** The targets a request for `model` would try, without sending anything (the `routing.resolve` channel). */
  previewRoute(input: RoutePreviewInput): RoutePlan {
    return previewRoute(this.current, (providerId) => this.modelCatalog.models(providerId), input);
  }

  /** Each provider's model list, fetched from the provider where it offers one; `force` asks again at once. */
  modelLists(options: { force?: boolean } = {}): Promise<CatalogEntry[]> {
    return this.modelCatalog.refresh(this.current, options);
  }

  async start(overrides: { host?: string; port?: number } = {}): Promise<{ url: string; host: string; port: number }> {
    if (this.server) throw new Error('The engine is already running');
    // stop() closed the upstream connection pools for good; a stopped engine is not restarted, a new one is built.
    if (this.stopped) throw new Error('This engine was stopped; create a new one with Engine.create()');
    const server = createHttpServer({
      runtime: () => this.current,
      guard: this.guard,
      upstream: this.upstream,
      logger: this.logger,
      now: this.options.now ?? Date.now,
      management: this.management,
      uiDir: this.options.uiDir,
      namedClientKeys: this.options.namedClientKeys,
      recentClients: this.recentClients,
      routerState: this.routerState,
      knownModels: (providerId) => this.modelCatalog.models(providerId),
      modelCatalog: this.modelCatalog,
      usage: this.usage,
      requestLog: this.requestLog,
      ...(this.options.stepProbe ? { stepProbe: this.options.stepProbe } : {}),
    });
    server.on('request', (_request, response: ServerResponse) => {
      this.inFlight.add(response);
      response.on('close', () => this.inFlight.delete(response));
    });
    const host = overrides.host ?? this.current.config.server.host;
    const port = overrides.port ?? this.current.config.server.port;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    return { url: `http://${formatHost(address.address)}:${address.port}`, host: address.address, port: address.port };
  }

  get url(): string | undefined {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address ? `http://${formatHost(address.address)}:${address.port}` : undefined;
  }

  /** Stops accepting connections, gives in-flight requests up to `graceMs` to finish, then closes everything. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    const server = this.server;
    this.server = undefined;
    if (server) this.emit('stopping');
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + graceMs;
      while (this.inFlight.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      server.closeAllConnections();
      await closed;
    }
    await this.upstream.close();
    await this.accounts?.close();
    // After the last request has finished, so its record is written too.
    this.usage?.close();
    this.requestLog.close();
  }
}

function formatHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}
