import { describe, expect, it } from 'vitest';
import { maxTooltipLength, trayIcon, trayImageFile, trayMoods } from './tray-icon.ts';
import type { TrayState } from './tray-state.ts';

function state(overrides: Partial<TrayState>): TrayState {
  return {
    mood: 'healthy',
    serving: 'serving',
    headline: 'Serving, all providers ready',
    problems: [],
    endpoint: 'http://127.0.0.1:8787',
    load: { inFlight: 0, waiting: 0 },
    providers: [],
    combos: [],
    clientKeyAvailable: true,
    tools: [],
    launchAtLogin: { supported: true, enabled: false },
    ...overrides,
  };
}

describe('tray icon', () => {
  it('uses one colour image per mood, and template images on macOS', () => {
    expect(trayMoods.map((mood) => trayImageFile(mood, 'linux'))).toEqual([
      'tray-starting.png',
      'tray-healthy.png',
      'tray-degraded.png',
      'tray-paused.png',
      'tray-failed.png',
    ]);
    expect(trayImageFile('degraded', 'win32')).toBe('tray-degraded.png');
    expect(trayImageFile('degraded', 'darwin')).toBe('tray-degradedTemplate.png');
  });

  it('shows the endpoint and load in the tooltip', () => {
    expect(trayIcon(state({}), 'linux')).toEqual({ file: 'tray-healthy.png', tooltip: 'Switchyard on http://127.0.0.1:8787\nidle' });
    expect(trayIcon(state({ load: { inFlight: 4, waiting: 2 } }), 'linux').tooltip).toBe('Switchyard on http://127.0.0.1:8787\n4 in flight, 2 waiting');
  });

  it('names the first problem when degraded', () => {
    const tooltip = trayIcon(state({ mood: 'degraded', problems: ['gemini: key k1 cooling down', 'claude: failing'] }), 'win32').tooltip;
    expect(tooltip).toBe('Switchyard on http://127.0.0.1:8787\nidle\n2 problems: gemini: key k1 cooling down');
  });

  it('explains paused, starting and failed states', () => {
    expect(trayIcon(state({ mood: 'paused', serving: 'paused', endpoint: undefined }), 'darwin')).toEqual({ file: 'tray-pausedTemplate.png', tooltip: 'Switchyard: paused' });
    expect(trayIcon(state({ mood: 'starting', serving: 'starting', endpoint: undefined }), 'linux').tooltip).toBe('Switchyard: starting');
    expect(trayIcon(state({ mood: 'failed', serving: 'failed', problems: ['Port 8787 is already in use.\nsecond line'] }), 'linux').tooltip).toBe(
      'Switchyard: not serving\nPort 8787 is already in use.',
    );
  });

  it('keeps the tooltip within the Windows limit', () => {
    const tooltip = trayIcon(state({ mood: 'degraded', problems: ['x'.repeat(300)] }), 'win32').tooltip;
    expect(tooltip).toHaveLength(maxTooltipLength);
    expect(tooltip.endsWith('…')).toBe(true);
  });
});
