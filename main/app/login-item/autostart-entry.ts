/**
 * Linux has no login-item API in Electron; desktops start what `~/.config/autostart/*.desktop` lists (XDG Autostart).
 * These build that entry. Quoting follows the Desktop Entry spec: an argument with reserved characters is put in
 * double quotes with `"`, `` ` ``, `$` and `\` escaped, then every backslash is doubled once more by the string
 * escaping of the file itself; `%` is a field code and is written `%%`.
 */
export const autostartFileName = 'switchyard.desktop';
/** Passed by every login start so the app starts in the tray without opening its window. */
export const hiddenFlag = '--hidden';

export function quoteExecArgument(argument: string): string {
  const quoted = /^[A-Za-z0-9_/.:+=,@-]+$/.test(argument) ? argument : `"${argument.replace(/["`$\\]/g, '\\$&')}"`;
  return quoted.replaceAll('\\', '\\\\').replaceAll('%', '%%');
}

export function autostartEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=Switchyard',
    'Comment=Local AI API router',
    `Exec=${command.map(quoteExecArgument).join(' ')}`,
    'Icon=switchyard',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}
