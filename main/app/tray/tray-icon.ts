import type { TrayMood, TrayState } from './tray-state.ts';

/** Windows cuts tray tooltips at 127 characters (NOTIFYICONDATA.szTip); keep every platform under it. */
export const maxTooltipLength = 127;

export const trayMoods: readonly TrayMood[] = ['starting', 'healthy', 'degraded', 'paused', 'failed'];

export interface TrayIconChoice {
  /** File name inside the tray image folder (dist/assets/tray), with its @2x sibling next to it. */
  file: string;
  tooltip: string;
}

/**
 * The image file for a mood. macOS menu-bar icons are template images (black + alpha, recoloured by the system
 * for light/dark menu bars), so there the mood is told by the glyph's shape; elsewhere by its colour.
 */
export function trayImageFile(mood: TrayMood, platform: NodeJS.Platform): string {
  return platform === 'darwin' ? `tray-${mood}Template.png` : `tray-${mood}.png`;
}

function loadLine(state: TrayState): string {
  const { inFlight, waiting } = state.load;
  if (inFlight === 0 && waiting === 0) return 'idle';
  const parts = [`${inFlight} in flight`];
  if (waiting > 0) parts.push(`${waiting} waiting`);
  return parts.join(', ');
}

export function trayTooltip(state: TrayState): string {
  const lines: string[] = [];
  switch (state.mood) {
    case 'starting':
      lines.push('Switchyard: starting');
      break;
    case 'failed':
      lines.push('Switchyard: not serving', state.problems[0]?.split('\n', 1)[0] ?? '');
      break;
    case 'paused':
      lines.push('Switchyard: paused');
      break;
    case 'healthy':
    case 'degraded':
      lines.push(`Switchyard on ${state.endpoint ?? '?'}`, loadLine(state));
      if (state.mood === 'degraded') lines.push(state.problems.length > 1 ? `${state.problems.length} problems: ${state.problems[0]}` : state.problems[0] ?? '');
      break;
  }
  const text = lines.filter((line) => line !== '').join('\n');
  return text.length <= maxTooltipLength ? text : `${text.slice(0, maxTooltipLength - 1)}…`;
}

export function trayIcon(state: TrayState, platform: NodeJS.Platform): TrayIconChoice {
  return { file: trayImageFile(state.mood, platform), tooltip: trayTooltip(state) };
}
