import type { ProviderHealth } from '../../../shared/api-contract.ts';
import type { TrayState } from './tray-state.ts';

/**
 * The tray menu as plain data. Items carry an action value instead of a click callback, so the whole menu is a
 * pure function of TrayState and compares with toEqual in tests; the shell (tray-controller.ts) turns it into an
 * Electron Menu and routes clicks to one dispatcher.
 */

export type DashboardPage = 'dashboard' | 'providers' | 'combos' | 'settings' | 'setup';

export type TrayAction =
  | { type: 'copy-endpoint' }
  | { type: 'copy-client-key' }
  /** undefined: no active combo (clients name `provider/model` themselves). */
  | { type: 'activate-combo'; combo: string | undefined }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'retry' }
  | { type: 'open-window'; page: DashboardPage }
  | { type: 'set-launch-at-login'; enabled: boolean }
  | { type: 'quit' };

export type TrayMenuItem =
  /** A line of information; shown greyed out, does nothing. */
  | { kind: 'text'; label: string }
  | { kind: 'separator' }
  | { kind: 'command'; label: string; action: TrayAction; enabled: boolean }
  | { kind: 'radio'; label: string; checked: boolean; action: TrayAction }
  | { kind: 'checkbox'; label: string; checked: boolean; enabled: boolean; action: TrayAction }
  | { kind: 'submenu'; label: string; items: TrayMenuItem[] };

/** Menu lines longer than this are cut: some Linux panels draw the whole menu as wide as its longest line. */
export const maxLabelLength = 72;
/** Providers beyond this many go into a "More providers" submenu so the menu stays on screen. */
export const inlineProviderLimit = 6;
const maxProblemLines = 10;

const healthMark: Record<ProviderHealth, string> = { healthy: '✓', degraded: '⚠', down: '✕', 'no-keys': '✕', disabled: '○' };

export function clip(label: string, max = maxLabelLength): string {
  const line = label.split('\n', 1)[0]!;
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** Electron treats `&` as a mnemonic marker on Windows and Linux; names coming from the user must show as typed. */
export function literal(text: string): string {
  return text.replaceAll('&', '&&');
}

function statusSection(state: TrayState): TrayMenuItem[] {
  const items: TrayMenuItem[] = [{ kind: 'text', label: clip(literal(state.headline)) }];
  if (state.endpoint) {
    const { inFlight, waiting } = state.load;
    const load = inFlight === 0 && waiting === 0 ? 'idle' : `${inFlight} in flight${waiting > 0 ? `, ${waiting} waiting` : ''}`;
    items.push({ kind: 'text', label: clip(`${state.endpoint} · ${load}`) });
  }
  if (state.problems.length > 1) {
    const shown = state.problems.slice(0, maxProblemLines).map((problem): TrayMenuItem => ({ kind: 'text', label: clip(literal(problem)) }));
    if (state.problems.length > maxProblemLines) shown.push({ kind: 'text', label: `…and ${state.problems.length - maxProblemLines} more` });
    items.push({ kind: 'submenu', label: `All problems (${state.problems.length})`, items: shown });
  }
  return items;
}

function copySection(state: TrayState): TrayMenuItem[] {
  return [
    { kind: 'command', label: 'Copy endpoint URL', action: { type: 'copy-endpoint' }, enabled: state.endpoint !== undefined },
    { kind: 'command', label: 'Copy client key', action: { type: 'copy-client-key' }, enabled: state.clientKeyAvailable },
  ];
}

function comboSection(state: TrayState): TrayMenuItem[] {
  if (state.combos.length === 0) {
    return [
      { kind: 'text', label: 'No combos yet' },
      { kind: 'command', label: 'Create a combo…', action: { type: 'open-window', page: 'combos' }, enabled: true },
    ];
  }
  const known = state.activeCombo !== undefined && state.combos.includes(state.activeCombo);
  return [
    { kind: 'text', label: 'Active combo' },
    { kind: 'radio', label: 'None (clients pick provider/model)', checked: !known, action: { type: 'activate-combo', combo: undefined } },
    ...state.combos.map((combo): TrayMenuItem => ({ kind: 'radio', label: clip(literal(combo)), checked: combo === state.activeCombo, action: { type: 'activate-combo', combo } })),
  ];
}

function providerSection(state: TrayState): TrayMenuItem[] {
  if (state.providers.length === 0) {
    return [{ kind: 'command', label: 'Add a provider…', action: { type: 'open-window', page: 'providers' }, enabled: true }];
  }
  const lines = state.providers.map(
    (provider): TrayMenuItem => ({
      kind: 'command',
      label: clip(`${healthMark[provider.health]} ${literal(provider.name)} · ${literal(provider.detail)}`),
      action: { type: 'open-window', page: 'providers' },
      enabled: true,
    }),
  );
  const items: TrayMenuItem[] = [{ kind: 'text', label: 'Providers' }];
  if (lines.length <= inlineProviderLimit) return [...items, ...lines];
  const inline = lines.slice(0, inlineProviderLimit - 1);
  return [...items, ...inline, { kind: 'submenu', label: `${lines.length - inline.length} more providers`, items: lines.slice(inline.length) }];
}

/** "Tools": each installed tool and whether it is pointed at Switchyard; nothing when none is known. */
function toolSection(state: TrayState): TrayMenuItem[] {
  if (state.tools.length === 0) return [];
  return [
    { kind: 'text', label: 'Tools' },
    ...state.tools.map((tool): TrayMenuItem => ({ kind: 'text', label: `${clip(literal(tool.name))}: ${tool.pointsAtSwitchyard ? 'uses Switchyard' : 'not set up'}` })),
    { kind: 'separator' },
  ];
}

function servingCommand(state: TrayState): TrayMenuItem {
  switch (state.serving) {
    case 'serving':
      return { kind: 'command', label: 'Pause serving', action: { type: 'pause' }, enabled: true };
    case 'paused':
      return { kind: 'command', label: 'Resume serving', action: { type: 'resume' }, enabled: true };
    case 'failed':
      return { kind: 'command', label: 'Try again', action: { type: 'retry' }, enabled: true };
    default:
      return { kind: 'command', label: 'Pause serving', action: { type: 'pause' }, enabled: false };
  }
}

export function buildTrayMenu(state: TrayState): TrayMenuItem[] {
  return [
    ...statusSection(state),
    { kind: 'separator' },
    ...copySection(state),
    { kind: 'separator' },
    ...comboSection(state),
    { kind: 'separator' },
    ...providerSection(state),
    { kind: 'separator' },
    ...toolSection(state),
    servingCommand(state),
    { kind: 'command', label: 'Open dashboard', action: { type: 'open-window', page: 'dashboard' }, enabled: true },
    // The setup wizard (renderer #/setup): resumes an unfinished run, else starts at its tools step.
    { kind: 'command', label: 'Set up a tool…', action: { type: 'open-window', page: 'setup' }, enabled: true },
    {
      kind: 'checkbox',
      label: 'Launch at login',
      checked: state.launchAtLogin.enabled,
      enabled: state.launchAtLogin.supported,
      action: { type: 'set-launch-at-login', enabled: !state.launchAtLogin.enabled },
    },
    { kind: 'separator' },
    { kind: 'command', label: 'Quit Switchyard', action: { type: 'quit' }, enabled: true },
  ];
}
