import { access, constants, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { ClientModule } from './client-module.ts';

export interface Installation {
  /** Full path of the tool's command when found on PATH. */
  executable: string | undefined;
  /** Whether the tool's folder exists in the home directory (it has run there before). */
  homeFolder: boolean;
  installed: boolean;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds a command on PATH the way a shell would (with PATHEXT on Windows). */
export async function findOnPath(command: string, env: Record<string, string | undefined>): Promise<string | undefined> {
  const folders = (env.PATH ?? env.Path ?? '').split(delimiter).filter((folder) => folder !== '');
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const folder of folders) {
    for (const extension of extensions) {
      const candidate = join(folder, `${command}${extension}`);
      if (await isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

export async function detectInstallation(module: ClientModule, home: string, env: Record<string, string | undefined>): Promise<Installation> {
  const executable = await findOnPath(module.executable, env);
  const homeFolder = await stat(join(home, module.homeFolder)).then((info) => info.isDirectory(), () => false);
  return { executable, homeFolder, installed: executable !== undefined || homeFolder };
}
