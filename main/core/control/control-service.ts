import type {
  ApiChannel,
  ApiEvent,
  ApiEventPayload,
  ApiParsedArgs,
  ApiResponse,
  ApiResult,
  EngineStatus,
  GuardSnapshotView,
  SettingsView,
} from '../../../shared/api-contract.ts';
import { checkArgs, checkEvent, checkResult } from '../../../shared/api-contract.ts';
import type { SwitchyardConfig } from '../../../shared/config/config-schema.ts';
import type { Settings, SettingsDocument } from '../../../shared/settings/settings-schema.ts';
import { isLanSharing } from '../../../shared/settings/settings-schema.ts';
import { parseSettings } from '../../../shared/settings/parse-settings.ts';
import { SettingsError } from '../../../shared/settings/migrate-settings.ts';
import type { ExecutionGuard } from '../guard/guard-contract.ts';
import { lastFour } from '../guard/key-label.ts';
import type { Logger } from '../logging/logger.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { listedModels } from '../server/list-models.ts';
import type { LoadedSettings } from '../settings/settings-file.ts';
import { loadSettings, saveSettings } from '../settings/settings-file.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import type { AccountsEngine } from './accounts-handlers.ts';
import { watchAccountEvents } from './accounts-handlers.ts';
import type { ClientControlOptions } from './clients-handlers.ts';
import { createControlHandlers } from './control-handlers.ts';
import { ControlError } from './control-error.ts';
import type { RoutingEngine } from './routing-views.ts';
import { emptySnapshotView, guardEventView, guardSnapshotView } from './guard-view.ts';
import { SecretFactsCache } from './secret-facts.ts';
import type { RecentClients } from '../server/recent-clients.ts';
import type { UsageLedger } from '../usage/usage-ledger.ts';
import type { RequestLog } from '../usage/request-log/request-log.ts';
import { WebSessionCodes } from './web-session-codes.ts';

/** What the control service needs of a running engine; main/core/engine.ts fits it. */
export interface ControlledEngine extends RoutingEngine, AccountsEngine {
  readonly url: string | undefined;
  readonly guard: Pick<ExecutionGuard, 'snapshot' | 'subscribe' | 'resetKey'>;
  /** The configuration being served: what the views show while the engine runs. */
  readonly config?: SwitchyardConfig;
  runtime(): { clientKeys: readonly string[]; managementToken: string };
  applyConfig(config: SwitchyardConfig): Promise<void>;
  /** Switches the active combo without rebuilding anything (used when the settings cannot be written). */
  setActiveCombo?(name: string | undefined): void;
  /** The usage ledger (usage.* channels and the export); absent when the engine keeps none. */
  readonly usage?: UsageLedger;
  /** Who connected recently (network.recentClients); absent: the list is empty. */
  readonly recentClients?: Pick<RecentClients, 'list' | 'capacity'>;
  /** The opt-in request log (requestLog.* channels). */
  readonly requestLog?: RequestLog;
}

export type ServingState = EngineStatus['state'];

export interface ControlServiceOptions {
  mode: 'desktop' | 'web';
  version: string;
  settings: SettingsStore;
  /** Where pasted keys go. Must be the store the engine resolves `{"keychain": id}` references from. */
  secrets: SecretStore;
  /** The engine serving right now; undefined while the app has it paused or stopped. */
  engine(): ControlledEngine | undefined;
  /** The desktop app's view of the engine's life (starting, paused, failed ...); headless: serving or stopped. */
  servingState?(): { state: ServingState; message?: string };
  /** Where a person finds the client key ("credentials.json in the data dir", "the tray menu"). */
  clientKeyWhere: string;
  /** Desktop-only abilities. */
  desktop?: { setLaunchAtLogin(enabled: boolean): Promise<void>; /** False where this platform has no login items. */ launchAtLoginSupported?: boolean };
  /** The per-tool client keys and tool settings the clients.* channels work on (the data dir's, as for `switchyard clients`). */
  clients?: ClientControlOptions;
  env?: Record<string, string | undefined>;
  logger?: Logger;
  now?: () => number;
  /** How often a fresh guard snapshot is pushed while someone listens. */
  snapshotIntervalMs?: number;
  fetch?: typeof fetch;
}

export type ControlEventListener = <E extends ApiEvent>(event: E, payload: ApiEventPayload<E>) => void;

/**
 * Every channel of the API contract, implemented once against the engine, the settings store and the secret store.
 * The desktop IPC handlers and the web-mode HTTP routes both call `dispatch`; neither holds logic of its own.
 * Changes are serialised, validated as a whole, applied to the running engine, and only then saved, so a change the
 * engine cannot use never reaches the settings file.
 */
export class ControlService {
  readonly options: ControlServiceOptions;
  readonly facts: SecretFactsCache;
  readonly webSessions: WebSessionCodes;
  readonly #handlers: ReturnType<typeof createControlHandlers>;
  readonly #listeners = new Set<ControlEventListener>();
  readonly #baselines = new WeakMap<ControlledEngine, { port: number; host: string }>();
  #queue: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #boundEngine: ControlledEngine | undefined;
  #unsubscribeGuard: (() => void) | undefined;
  #lastSnapshot = '';
  #closed = false;

  constructor(options: ControlServiceOptions) {
    this.options = options;
    this.facts = new SecretFactsCache(options.secrets, options.env ?? {});
    this.webSessions = new WebSessionCodes({ now: options.now });
    this.#handlers = createControlHandlers(this);
  }

  now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Validates the arguments, runs the channel, validates the result. Never throws. */
  async dispatch<C extends ApiChannel>(channel: C, rawArgs: unknown): Promise<ApiResponse<C>> {
    const args = checkArgs(channel, rawArgs);
    if (!args.ok) return { ok: false, error: args.error };
    try {
      const handler = this.#handlers[channel] as (value: ApiParsedArgs<C>) => Promise<ApiResult<C>>;
      const checked = checkResult(channel, await handler(args.value));
      if (checked.ok) return { ok: true, result: checked.value };
      this.options.logger?.error('control: a result did not match the API contract', { channel, problem: checked.error.message });
      return { ok: false, error: { code: 'internal', message: `Switchyard could not answer ${channel} (see its log).` } };
    } catch (error) {
      if (error instanceof ControlError) return { ok: false, error: error.toApiError() };
      const message = error instanceof Error ? error.message : String(error);
      this.options.logger?.error('control: channel failed', { channel, error: message });
      return { ok: false, error: { code: 'internal', message: `${channel} failed: ${message}` } };
    }
  }

  // ---- settings ------------------------------------------------------------------------------------------------

  async load(): Promise<LoadedSettings> {
    try {
      return await loadSettings(this.options.settings);
    } catch (error) {
      if (error instanceof SettingsError) throw new ControlError('unavailable', error.message);
      throw error;
    }
  }

  /**
   * One change at a time: edit a copy of the stored document, validate it, hand it to the engine, save it. If the
   * save fails the engine goes back to the previous settings.
   */
  mutate<T>(edit: (document: SettingsDocument, current: Settings) => T | Promise<T>): Promise<{ outcome: T; settings: Settings }> {
    const step = async () => {
      const store = this.options.settings;
      if (store.readOnlyReason) throw new ControlError('read_only', store.readOnlyReason);
      const loaded = await this.load();
      const document = structuredClone(loaded.document);
      const outcome = await edit(document, loaded.settings);
      let settings: Settings;
      try {
        settings = parseSettings(document).settings;
      } catch (error) {
        if (!(error instanceof SettingsError)) throw error;
        const problems = error.problems.map((problem) => problem.replace(/^config\./, ''));
        throw new ControlError('conflict', `That change would leave the settings invalid: ${problems.join('; ')}`);
      }
      const engine = this.options.engine();
      if (engine) {
        try {
          await engine.applyConfig(settings.config);
        } catch (error) {
          throw new ControlError('unavailable', `Switchyard could not use the changed settings: ${(error as Error).message}`);
        }
      }
      try {
        await saveSettings(store, document);
      } catch (error) {
        if (engine) await engine.applyConfig(loaded.settings.config).catch(() => {});
        throw new ControlError('unavailable', `The settings could not be saved to ${store.location}: ${(error as Error).message}`);
      }
      this.facts.clear();
      this.emit('config.changed', { at: this.now() });
      void this.emitStatus();
      return { outcome, settings };
    };
    const next = this.#queue.then(step, step);
    this.#queue = next.catch(() => {});
    return next;
  }

  // ---- views ---------------------------------------------------------------------------------------------------

  /**
   * What is being served: the running engine's configuration, else the saved settings. The two are the same after
   * every change made here; they differ when something else changed the engine (a `--config` file edited and
   * applied live, a combo switched with `combos.activate` while the settings are read-only).
   */
  async servingConfig(): Promise<SwitchyardConfig> {
    return this.options.engine()?.config ?? (await this.load()).settings.config;
  }

  snapshot(): GuardSnapshotView {
    const engine = this.options.engine();
    return engine ? guardSnapshotView(engine.guard.snapshot()) : emptySnapshotView(this.now());
  }

  servingState(): { state: ServingState; message: string | null } {
    const reported = this.options.servingState?.();
    if (reported) return { state: reported.state, message: reported.message ?? null };
    return { state: this.options.engine()?.url ? 'serving' : 'stopped', message: null };
  }

  async status(): Promise<EngineStatus> {
    const { settings } = await this.load();
    const engine = this.options.engine();
    const config = engine?.config ?? settings.config;
    const url = engine?.url ?? null;
    const listening = url ? new URL(url) : undefined;
    const host = listening ? listening.hostname.replace(/^\[|\]$/g, '') : settings.config.server.host;
    const { state, message } = this.servingState();
    const store = this.options.settings;
    return {
      state,
      message,
      mode: this.options.mode,
      version: this.options.version,
      url,
      host,
      port: listening ? Number(listening.port) : settings.config.server.port,
      lanSharing: isLanSharing(host),
      activeCombo: config.activeCombo ?? null,
      providers: config.providers.length,
      keys: config.providers.reduce((sum, provider) => sum + provider.keys.length, 0),
      combos: config.combos.length,
      models: listedModels(config).map((model) => model.id),
      clientKeyLast4: lastFour(engine?.runtime().clientKeys[0] ?? ''),
      clientKeyWhere: this.options.clientKeyWhere,
      settings: { location: store.location, writable: !store.readOnlyReason, readOnlyReason: store.readOnlyReason ?? null },
      secretStore: this.options.secrets.kind,
    };
  }

  async settingsView(): Promise<SettingsView> {
    const { settings } = await this.load();
    const engine = this.options.engine();
    const saved = { port: settings.config.server.port, host: settings.config.server.host };
    const baseline = engine ? this.#baselineFor(engine, saved) : saved;
    const store = this.options.settings;
    return {
      port: saved.port,
      lanSharing: isLanSharing(saved.host),
      launchAtLogin: settings.preferences.launchAtLogin,
      launchAtLoginAvailable: this.options.desktop !== undefined && this.options.desktop.launchAtLoginSupported !== false,
      restartRequired: baseline.port !== saved.port || isLanSharing(baseline.host) !== isLanSharing(saved.host),
      settings: { location: store.location, writable: !store.readOnlyReason, readOnlyReason: store.readOnlyReason ?? null },
    };
  }

  /** What the engine listens with: the saved port and host the first time this engine was seen. */
  #baselineFor(engine: ControlledEngine, saved: { port: number; host: string }): { port: number; host: string } {
    let baseline = this.#baselines.get(engine);
    if (!baseline) {
      baseline = saved;
      this.#baselines.set(engine, baseline);
    }
    return baseline;
  }

  // ---- events --------------------------------------------------------------------------------------------------

  /** Listens to every event; returns the function that stops listening. */
  subscribe(listener: ControlEventListener): () => void {
    this.#listeners.add(listener);
    this.#bindEngine();
    this.#timer ??= setInterval(() => this.#pushSnapshot(), this.options.snapshotIntervalMs ?? 1_000);
    this.#timer.unref();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#stopEvents();
    };
  }

  emit<E extends ApiEvent>(event: E, payload: ApiEventPayload<E>): void {
    if (this.#listeners.size === 0) return;
    const checked = checkEvent(event, payload);
    if (!checked.ok) {
      this.options.logger?.error('control: an event did not match the API contract', { event, problem: checked.error.message });
      return;
    }
    for (const listener of this.#listeners) {
      try {
        listener(event, checked.value);
      } catch (error) {
        this.options.logger?.warn('control: an event listener failed', { event, error: String(error) });
      }
    }
  }

  async emitStatus(): Promise<void> {
    if (this.#listeners.size === 0) return;
    try {
      this.emit('status', await this.status());
    } catch (error) {
      this.options.logger?.warn('control: status could not be built', { error: String(error) });
    }
  }

  /** The host calls this when the engine started, stopped or was replaced, so listeners follow the new one. */
  refresh(): void {
    this.#bindEngine();
    void this.emitStatus();
    this.#pushSnapshot();
  }

  #bindEngine(): void {
    const engine = this.options.engine();
    if (engine === this.#boundEngine && (this.#unsubscribeGuard || !engine)) return;
    this.#unsubscribeGuard?.();
    this.#unsubscribeGuard = undefined;
    this.#boundEngine = engine;
    if (engine && this.#listeners.size > 0) {
      const stopGuard = engine.guard.subscribe((event) => {
        this.emit('guard.event', guardEventView(event));
        this.#pushSnapshot();
      });
      const stopAccounts = watchAccountEvents(this, engine);
      this.#unsubscribeGuard = () => {
        stopGuard();
        stopAccounts();
      };
    }
  }

  #pushSnapshot(): void {
    if (this.#listeners.size === 0) return;
    if (this.options.engine() !== this.#boundEngine) this.#bindEngine();
    const snapshot = this.snapshot();
    const fingerprint = JSON.stringify({ ...snapshot, takenAt: 0 });
    if (fingerprint === this.#lastSnapshot) return;
    this.#lastSnapshot = fingerprint;
    this.emit('guard.snapshot', snapshot);
  }

  #stopEvents(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unsubscribeGuard?.();
    this.#unsubscribeGuard = undefined;
    this.#boundEngine = undefined;
    this.#lastSnapshot = '';
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Stops timers and drops listeners (engine shutdown). */
  close(): void {
    this.#closed = true;
    this.#listeners.clear();
    this.#stopEvents();
  }
}
