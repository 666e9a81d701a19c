import { ConfigError } from '../../core/config/load-config.ts';
import { RuntimeConfigError } from '../../core/config/runtime-config.ts';

/**
 * One or two sentences a non-developer can act on, for the tray's "Not serving: ..." line and the window. The
 * technical detail stays in the log.
 */
export function describeStartError(error: unknown): string {
  if (error instanceof RuntimeConfigError) {
    const more = error.problems.length > 1 ? ` (and ${error.problems.length - 1} more)` : '';
    return `A setting refers to a secret that cannot be read: ${error.problems[0]}${more}`;
  }
  if (error instanceof ConfigError) return `The settings file cannot be used: ${error.problems[0] ?? error.message}`;
  const errno = error as NodeJS.ErrnoException & { port?: number; address?: string };
  const port = errno.port !== undefined ? `Port ${errno.port}` : 'The port';
  switch (errno.code) {
    case 'EADDRINUSE':
      return `${port} is already in use. Is \`switchyard serve\` or another copy running? Stop it, or pick another port in Settings.`;
    case 'EACCES':
      return `${port} is not allowed for this user. Pick a port above 1024 in Settings.`;
    case 'EADDRNOTAVAIL':
      return `This computer has no address ${errno.address ?? ''}. Check the listen address in Settings.`.replace('  ', ' ');
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
