import type { SwitchyardConfigInput } from '../../shared/config/config-schema.ts';
import type { EngineStatus } from '../../shared/api-contract.ts';
import { TrayPresenter } from '../../main/app/tray/tray-presenter.ts';
import type { TrayState } from '../../main/app/tray/tray-state.ts';
import { MemorySettingsStore } from '../../main/core/settings/settings-store.ts';
import type { EngineOptions } from '../../main/core/engine.ts';
import type { RunningEngine } from '../helpers/start-engine.ts';
import { startEngine } from '../helpers/start-engine.ts';

export interface TrayEngine {
  running: RunningEngine;
  /** The tray's state as the desktop app derives it: from the control service's views of this real engine. */
  tray(options?: { appProblems?: string[]; serving?: Pick<EngineStatus, 'state' | 'message'> }): Promise<TrayState>;
  stop(): Promise<void>;
}

/**
 * A real engine with its control service, and the tray presenter reading it through the same dispatcher the desktop
 * app uses, so tray tests see what a user would: no hand-made snapshots. `serving` stands in for the desktop app's
 * lifecycle (starting, paused, failed), which headless engines do not have.
 */
export async function startTrayEngine(config: SwitchyardConfigInput, env: Record<string, string> = {}, engineOptions: Pick<EngineOptions, 'accounts' | 'guard' | 'dataDir'> = {}): Promise<TrayEngine> {
  const running = await startEngine(config, { env, settings: new MemorySettingsStore(config), logLevel: 'error', ...engineOptions });
  const control = running.dashboard.control;
  return {
    running,
    async tray(options = {}) {
      const presenter = new TrayPresenter(
        {
          dispatch: async (channel, args) => {
            const answer = await control.dispatch(channel, args);
            if (channel !== 'status' || !answer.ok || !options.serving) return answer;
            return { ok: true, result: { ...(answer.result as EngineStatus), state: options.serving.state, message: options.serving.message } } as typeof answer;
          },
          clientKeyAvailable: async () => true,
          appProblems: () => options.appProblems ?? [],
          now: Date.now,
        },
        () => {},
      );
      return presenter.state();
    },
    stop: () => running.stop(),
  };
}
