import type { SwitchyardConfig } from '../../../shared/config/config-schema.ts';
import type { ServingStatus } from '../lifecycle/serving-status.ts';
import type { LaunchAtLogin } from '../login-item/launch-at-login.ts';
import type { TrayState } from './tray-state.ts';
import { deriveTrayState } from './tray-state.ts';

export interface TrayPresenterSources {
  serving(): ServingStatus;
  config(): Pick<SwitchyardConfig, 'providers' | 'combos' | 'activeCombo'>;
  guardSnapshot(): unknown;
  clientKeyAvailable(): boolean;
  launchAtLogin: Pick<LaunchAtLogin, 'supported' | 'isEnabled'>;
  appProblems(): string[];
  now(): number;
}

/**
 * Keeps the tray in step with the engine: derives the state from its sources and renders it on every change it is
 * told about (status, config, guard events) and on a slow timer while serving, for the load figures and the
 * "back in 40 s" countdowns. The timer is unref'd and stops with the presenter.
 */
export class TrayPresenter {
  readonly #sources: TrayPresenterSources;
  readonly #render: (state: TrayState) => void;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(sources: TrayPresenterSources, render: (state: TrayState) => void, intervalMs = 2_000) {
    this.#sources = sources;
    this.#render = render;
    this.#intervalMs = intervalMs;
  }

  state(): TrayState {
    const sources = this.#sources;
    return deriveTrayState({
      serving: sources.serving(),
      config: sources.config(),
      guard: sources.guardSnapshot(),
      clientKeyAvailable: sources.clientKeyAvailable(),
      launchAtLogin: { supported: sources.launchAtLogin.supported, enabled: sources.launchAtLogin.supported && sources.launchAtLogin.isEnabled() },
      appProblems: sources.appProblems(),
      now: sources.now(),
    });
  }

  refresh(): void {
    if (this.#stopped) return;
    this.#render(this.state());
    const serving = this.#sources.serving().state === 'serving';
    if (serving && !this.#timer) {
      this.#timer = setInterval(() => this.refresh(), this.#intervalMs);
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
