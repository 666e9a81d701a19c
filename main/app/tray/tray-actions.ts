import type { ApiChannel, ApiResponse } from '../../../shared/api-contract.ts';
import type { DesktopNotice } from './desktop-notices.ts';
import { comboSwitchedNotice } from './desktop-notices.ts';
import type { DashboardPage, TrayAction } from './tray-menu.ts';

export interface TrayActionEffects {
  /** The same dispatcher the window's IPC uses, so a switch from the tray and one from the dashboard are one path. */
  dispatch<C extends ApiChannel>(channel: C, args: unknown): Promise<ApiResponse<C>>;
  copy(text: string): void;
  endpoint(): string | undefined;
  clientKey(): Promise<string | undefined>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  showWindow(page: DashboardPage): void;
  quit(): void;
  notify(notice: DesktopNotice): void;
  /** After anything that may have changed what the tray shows. */
  refresh(): void;
}

/** What each tray menu item does. Returns a promise so tests can wait for the effect; the shell ignores it. */
export function createTrayActionHandler(effects: TrayActionEffects): (action: TrayAction) => Promise<void> {
  return async (action) => {
    switch (action.type) {
      case 'copy-endpoint': {
        const endpoint = effects.endpoint();
        if (endpoint) effects.copy(endpoint);
        return;
      }
      case 'copy-client-key': {
        const key = await effects.clientKey();
        if (key) effects.copy(key);
        return;
      }
      case 'activate-combo': {
        // Applies at once: the control service hands the engine the new combo before saving it.
        const answer = await effects.dispatch('combos.activate', { name: action.combo ?? null });
        effects.notify(answer.ok ? comboSwitchedNotice(action.combo) : { key: 'combo', title: 'The combo was not switched', body: answer.error.message });
        effects.refresh();
        return;
      }
      case 'set-launch-at-login': {
        const answer = await effects.dispatch('settings.update', { launchAtLogin: action.enabled });
        if (!answer.ok) effects.notify({ key: 'launch-at-login', title: 'Launch at login was not changed', body: answer.error.message });
        effects.refresh();
        return;
      }
      case 'pause':
        await effects.pause();
        return;
      case 'resume':
      case 'retry':
        await effects.resume();
        return;
      case 'open-window':
        effects.showWindow(action.page);
        return;
      case 'quit':
        effects.quit();
        return;
    }
  };
}
