import { describe, expect, it } from 'vitest';
import type { TrayMenuItem } from './tray-menu.ts';
import { buildTrayMenu, clip, inlineProviderLimit, maxLabelLength } from './tray-menu.ts';
import type { TrayState } from './tray-state.ts';

function state(overrides: Partial<TrayState> = {}): TrayState {
  return {
    mood: 'healthy',
    serving: 'serving',
    headline: 'Serving, all providers ready',
    problems: [],
    endpoint: 'http://127.0.0.1:8787',
    load: { inFlight: 2, waiting: 0 },
    providers: [
      { id: 'gemini', name: 'gemini', health: 'healthy', detail: '2 of 2 keys ready' },
      { id: 'claude', name: 'Anthropic', health: 'down', detail: 'failing, next try in 30 s' },
    ],
    combos: ['fast', 'smart'],
    activeCombo: 'smart',
    clientKeyAvailable: true,
    tools: [],
    launchAtLogin: { supported: true, enabled: true },
    ...overrides,
  };
}

function find(menu: TrayMenuItem[], label: string): TrayMenuItem | undefined {
  return menu.find((item) => 'label' in item && item.label === label);
}

describe('buildTrayMenu', () => {
  it('lays out status, copy, combos, providers, serving, window, login and quit', () => {
    expect(buildTrayMenu(state())).toEqual([
      { kind: 'text', label: 'Serving, all providers ready' },
      { kind: 'text', label: 'http://127.0.0.1:8787 · 2 in flight' },
      { kind: 'separator' },
      { kind: 'command', label: 'Copy endpoint URL', action: { type: 'copy-endpoint' }, enabled: true },
      { kind: 'command', label: 'Copy client key', action: { type: 'copy-client-key' }, enabled: true },
      { kind: 'separator' },
      { kind: 'text', label: 'Active combo' },
      { kind: 'radio', label: 'None (clients pick provider/model)', checked: false, action: { type: 'activate-combo', combo: undefined } },
      { kind: 'radio', label: 'fast', checked: false, action: { type: 'activate-combo', combo: 'fast' } },
      { kind: 'radio', label: 'smart', checked: true, action: { type: 'activate-combo', combo: 'smart' } },
      { kind: 'separator' },
      { kind: 'text', label: 'Providers' },
      { kind: 'command', label: '✓ gemini · 2 of 2 keys ready', action: { type: 'open-window', page: 'providers' }, enabled: true },
      { kind: 'command', label: '✕ Anthropic · failing, next try in 30 s', action: { type: 'open-window', page: 'providers' }, enabled: true },
      { kind: 'separator' },
      { kind: 'command', label: 'Pause serving', action: { type: 'pause' }, enabled: true },
      { kind: 'command', label: 'Open dashboard', action: { type: 'open-window', page: 'dashboard' }, enabled: true },
      { kind: 'command', label: 'Set up a tool…', action: { type: 'open-window', page: 'setup' }, enabled: true },
      { kind: 'checkbox', label: 'Launch at login', checked: true, enabled: true, action: { type: 'set-launch-at-login', enabled: false } },
      { kind: 'separator' },
      { kind: 'command', label: 'Quit Switchyard', action: { type: 'quit' }, enabled: true },
    ]);
  });

  it('checks "None" when no combo (or an unknown one) is active', () => {
    expect(find(buildTrayMenu(state({ activeCombo: undefined })), 'None (clients pick provider/model)')).toMatchObject({ checked: true });
    const stale = buildTrayMenu(state({ activeCombo: 'deleted' }));
    expect(stale.filter((item) => item.kind === 'radio' && item.checked).map((item) => 'label' in item && item.label)).toEqual(['None (clients pick provider/model)']);
  });

  it('offers to create a combo or add a provider when there are none', () => {
    const menu = buildTrayMenu(state({ combos: [], activeCombo: undefined, providers: [] }));
    expect(find(menu, 'No combos yet')).toEqual({ kind: 'text', label: 'No combos yet' });
    expect(find(menu, 'Create a combo…')).toMatchObject({ action: { type: 'open-window', page: 'combos' } });
    expect(find(menu, 'Add a provider…')).toMatchObject({ action: { type: 'open-window', page: 'providers' } });
    expect(menu.some((item) => item.kind === 'radio')).toBe(false);
  });

  it.each<[TrayState['serving'], string, string, boolean]>([
    ['serving', 'Pause serving', 'pause', true],
    ['paused', 'Resume serving', 'resume', true],
    ['failed', 'Try again', 'retry', true],
    ['starting', 'Pause serving', 'pause', false],
    ['pausing', 'Pause serving', 'pause', false],
  ])('while %s offers "%s"', (serving, label, action, enabled) => {
    expect(find(buildTrayMenu(state({ serving })), label)).toEqual({ kind: 'command', label, action: { type: action }, enabled });
  });

  it('greys out copying what does not exist', () => {
    const menu = buildTrayMenu(state({ endpoint: undefined, clientKeyAvailable: false, serving: 'paused', mood: 'paused' }));
    expect(find(menu, 'Copy endpoint URL')).toMatchObject({ enabled: false });
    expect(find(menu, 'Copy client key')).toMatchObject({ enabled: false });
    expect(menu[1]).toEqual({ kind: 'separator' });
  });

  it('lists every problem in a submenu when there is more than one', () => {
    const problems = Array.from({ length: 12 }, (_, index) => `problem ${index + 1}`);
    const submenu = buildTrayMenu(state({ mood: 'degraded', problems })).find((item) => item.kind === 'submenu');
    expect(submenu).toMatchObject({ label: 'All problems (12)' });
    const items = submenu?.kind === 'submenu' ? submenu.items : [];
    expect(items).toHaveLength(11);
    expect(items.at(-1)).toEqual({ kind: 'text', label: '…and 2 more' });
  });

  it('moves providers beyond the inline limit into a submenu', () => {
    const providers = Array.from({ length: inlineProviderLimit + 3 }, (_, index) => ({ id: `p${index}`, name: `p${index}`, health: 'healthy' as const, detail: 'ready' }));
    const menu = buildTrayMenu(state({ providers }));
    const inline = menu.filter((item) => item.kind === 'command' && item.label.endsWith('· ready'));
    expect(inline).toHaveLength(inlineProviderLimit - 1);
    const more = menu.find((item) => item.kind === 'submenu');
    expect(more).toMatchObject({ label: '4 more providers' });
  });

  it('disables the login checkbox where the platform cannot do it', () => {
    expect(find(buildTrayMenu(state({ launchAtLogin: { supported: false, enabled: false } })), 'Launch at login')).toMatchObject({ enabled: false, checked: false });
  });

  it('shows user-chosen names literally and keeps long lines short', () => {
    const menu = buildTrayMenu(state({ combos: ['R&D'], providers: [{ id: 'x', name: 'Tom & Jerry', health: 'degraded', detail: 'y'.repeat(200) }] }));
    expect(find(menu, 'R&&D')).toMatchObject({ kind: 'radio' });
    const provider = menu.find((item) => item.kind === 'command' && item.label.startsWith('⚠'));
    expect(provider && 'label' in provider && provider.label).toHaveLength(maxLabelLength);
    expect(clip('first line\nsecond line')).toBe('first line');
  });

  it('lists the installed tools and whether each uses Switchyard, and nothing when none is known', () => {
    const menu = buildTrayMenu(state({ tools: [{ name: 'Claude Code', pointsAtSwitchyard: true }, { name: 'Codex CLI', pointsAtSwitchyard: false }] }));
    expect(find(menu, 'Tools')).toEqual({ kind: 'text', label: 'Tools' });
    expect(find(menu, 'Claude Code: uses Switchyard')).toBeDefined();
    expect(find(menu, 'Codex CLI: not set up')).toBeDefined();
    expect(find(buildTrayMenu(state()), 'Tools')).toBeUndefined();
  });
});
