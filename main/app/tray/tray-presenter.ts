import type { ApiChannel, ApiResponse } from '../../../shared/api-contract.ts';
import type { TrayState, TrayViews } from './tray-state.ts';
import { deriveTrayState } from './tray-state.ts';

export interface TrayPresenterSources {
  /** The control service's dispatcher: the tray reads the same views the window does. */
  dispatch<C extends ApiChannel>(channel: C, args: unknown): Promise<ApiResponse<C>>;
  /** Whether "Copy client key" can work right now. */
  clientKeyAvailable(): Promise<boolean>;
  appProblems(): string[];
  now(): number;
}

type ViewChannel = 'status' | 'providers.list' | 'combos.list' | 'guard.snapshot' | 'settings.get';

/**
 * Keeps the tray in step with the engine: asks the control service for its views, derives the state and renders it
 * on every change it is told about (status, config, guard events) and on a slow timer while serving, for the load
 * figures and the "back in 40 s" countdowns. Refreshes never overlap: one asked for during another runs after it.
 * The timer is unref'd and stops with the presenter.
 */
export class TrayPresenter {
  readonly #sources: TrayPresenterSources;
  readonly #render: (state: TrayState) => void;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  #last: TrayState | undefined;

  constructor(sources: TrayPresenterSources, render: (state: TrayState) => void, intervalMs = 2_000) {
    this.#sources = sources;
    this.#render = render;
    this.#intervalMs = intervalMs;
  }

  /** The state last rendered (undefined before the first). */
  get last(): TrayState | undefined {
    return this.#last;
  }

  async state(): Promise<TrayState> {
    const problems: string[] = [];
    const view = async <C extends ViewChannel>(channel: C) => {
      const answer = await this.#sources.dispatch(channel, {});
      if (answer.ok) return answer.result;
      problems.push(answer.error.message);
      return undefined;
    };
    const [status, providers, combos, guard, settings, clientKeyAvailable, clients, quota] = await Promise.all([
      view('status'),
      view('providers.list'),
      view('combos.list'),
      view('guard.snapshot'),
      view('settings.get'),
      this.#sources.clientKeyAvailable(),
      // Which tools point here: shown when known; a control service without client setup is not a problem.
      this.#sources.dispatch('clients.status', {}).then((answer) => (answer.ok ? answer.result : undefined), () => undefined),
      // Limits about to run out: a warning when known; a service that cannot forecast is not a problem either.
      this.#sources.dispatch('quota.forecast', {}).then((answer) => (answer.ok ? answer.result : undefined), () => undefined),
    ]);
    const now = this.#sources.now();
    const views: TrayViews = {
      // Without a status (settings unreadable) the engine cannot be serving them either.
      status: status ?? fallbackStatus(problems[0] ?? 'Switchyard cannot read its settings.'),
      providers: providers?.providers ?? [],
      combos: combos ?? { combos: [], activeCombo: null },
      guard: guard ?? { takenAt: now, detailed: false, providers: [] },
      launchAtLogin: { supported: settings?.launchAtLoginAvailable ?? false, enabled: settings?.launchAtLogin ?? false },
      ...(clients ? { clients } : {}),
      ...(quota ? { quota } : {}),
    };
    return deriveTrayState({ ...views, clientKeyAvailable, appProblems: [...this.#sources.appProblems(), ...problems], now });
  }

  /**
   * Renders afresh. Resolves once a state read after this call is drawn: a refresh asked for while another runs is
   * folded into one follow-up, so a burst of changes costs at most two reads.
   */
  refresh(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (!this.#running) {
      // Views never throw (the dispatcher answers errors); a failed draw leaves the last state up until the next one.
      this.#running = this.#draw()
        .catch(() => undefined)
        .finally(() => {
          this.#running = undefined;
        });
      return this.#running;
    }
    this.#queued ??= this.#running.then(() => {
      this.#queued = undefined;
      return this.refresh();
    });
    return this.#queued;
  }

  async #draw(): Promise<void> {
    const state = await this.state();
    if (this.#stopped) return;
    this.#last = state;
    this.#render(state);
    const serving = state.serving === 'serving';
    if (serving && !this.#timer) {
      this.#timer = setInterval(() => void this.refresh(), this.#intervalMs);
      this.#timer.unref();
    } else if (!serving && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

function fallbackStatus(message: string): TrayViews['status'] {
  return {
    state: 'failed',
    message,
    mode: 'desktop',
    version: '',
    url: null,
    host: '',
    port: 0,
    lanSharing: false,
    activeCombo: null,
    providers: 0,
    keys: 0,
    combos: 0,
    models: [],
    clientKeyLast4: '',
    clientKeyWhere: '',
    settings: { location: '', writable: false, readOnlyReason: null },
    secretStore: '',
  };
}
