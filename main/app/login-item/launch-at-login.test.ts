import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ElectronApi } from '../electron-api.ts';
import { autostartEntry, quoteExecArgument } from './autostart-entry.ts';
import { createLaunchAtLogin } from './launch-at-login.ts';

function fakeApp() {
  const calls: unknown[] = [];
  let openAtLogin = false;
  const app = {
    getLoginItemSettings: (options?: unknown) => {
      calls.push(['get', options]);
      return { openAtLogin, wasOpenedAtLogin: false };
    },
    setLoginItemSettings: (settings: { openAtLogin?: boolean }) => {
      calls.push(['set', settings]);
      openAtLogin = settings.openAtLogin ?? false;
    },
  } as unknown as ElectronApi['app'];
  return { app, calls };
}

let temporary: string | undefined;
afterEach(async () => {
  if (temporary) await rm(temporary, { recursive: true, force: true });
  temporary = undefined;
});

describe('launch at login', () => {
  it('registers the Windows Run entry with --hidden and reads the same entry back', async () => {
    const { app, calls } = fakeApp();
    const login = createLaunchAtLogin(app, { platform: 'win32', argv: ['C:\\Switchyard\\Switchyard.exe'], execPath: 'C:\\Switchyard\\Switchyard.exe', env: {}, isPackaged: true });
    await login.setEnabled(true);
    expect(login.isEnabled()).toBe(true);
    expect(calls).toEqual([
      ['set', { path: 'C:\\Switchyard\\Switchyard.exe', args: ['--hidden'], openAtLogin: true }],
      ['get', { path: 'C:\\Switchyard\\Switchyard.exe', args: ['--hidden'] }],
    ]);
    expect(login.startedAtLogin()).toBe(false);
    expect(createLaunchAtLogin(app, { platform: 'win32', argv: ['x.exe', '--hidden'], execPath: 'x.exe', env: {}, isPackaged: true }).startedAtLogin()).toBe(true);
  });

  it('uses a login item on macOS', async () => {
    const { app, calls } = fakeApp();
    const login = createLaunchAtLogin(app, { platform: 'darwin', argv: [], execPath: '/Applications/Switchyard.app/Contents/MacOS/Switchyard', env: {}, isPackaged: true });
    await login.setEnabled(true);
    expect(calls[0]).toEqual(['set', { openAtLogin: true }]);
    expect(login.isEnabled()).toBe(true);
  });

  it('writes and removes an XDG autostart entry that starts the AppImage hidden', async () => {
    temporary = await mkdtemp(join(tmpdir(), 'switchyard-autostart-'));
    const { app } = fakeApp();
    const login = createLaunchAtLogin(app, {
      platform: 'linux',
      argv: ['/tmp/.mount_Switch/switchyard'],
      execPath: '/tmp/.mount_Switch/switchyard',
      env: { XDG_CONFIG_HOME: temporary, APPIMAGE: '/home/me/Apps/Switchyard 0.1.0.AppImage' },
      isPackaged: true,
    });
    expect(login.supported).toBe(true);
    expect(login.isEnabled()).toBe(false);
    await login.setEnabled(true);
    const entry = await readFile(join(temporary, 'autostart', 'switchyard.desktop'), 'utf8');
    expect(entry).toContain('Exec="/home/me/Apps/Switchyard 0.1.0.AppImage" --hidden\n');
    expect(login.isEnabled()).toBe(true);
    await login.setEnabled(false);
    expect(login.isEnabled()).toBe(false);
  });

  it('is not offered on Linux in a development build', async () => {
    const { app } = fakeApp();
    const login = createLaunchAtLogin(app, { platform: 'linux', argv: [], execPath: '/usr/lib/electron/electron', env: { XDG_CONFIG_HOME: '/nonexistent' }, isPackaged: false });
    expect(login.supported).toBe(false);
    await expect(login.setEnabled(true)).rejects.toThrow(/installed app/);
  });
});

describe('autostart entry quoting', () => {
  it.each([
    ['/opt/Switchyard/switchyard', '/opt/Switchyard/switchyard'],
    ['/home/me/My Apps/Switchyard.AppImage', '"/home/me/My Apps/Switchyard.AppImage"'],
    ['/home/me/$HOME"`x', '"/home/me/\\\\$HOME\\\\"\\\\`x"'],
    ['/home/me/back\\slash', '"/home/me/back\\\\\\\\slash"'],
    ['/home/me/100%', '"/home/me/100%%"'],
  ])('%s', (argument, expected) => {
    expect(quoteExecArgument(argument)).toBe(expected);
  });

  it('is a complete desktop entry', () => {
    expect(autostartEntry(['/opt/Switchyard/switchyard', '--hidden'])).toMatch(/^\[Desktop Entry\]\nType=Application\n[\s\S]*Exec=\/opt\/Switchyard\/switchyard --hidden\n/);
  });
});
