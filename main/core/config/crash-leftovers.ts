import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretStore } from '../secrets/secret-store.ts';

/**
 * What a crash (kill -9, a power cut) can leave in the data dir, cleaned at start before anything else reads it:
 * 1. temporary files of an atomic write that never got renamed (`<file>.<pid>.tmp`, `.<file>.<pid>.<hex>.tmp`); one
 *    may hold pasted keys. Only those whose writing process is gone are removed: another live Switchyard process on
 *    the same data dir may be writing right now.
 * 2. secrets that Switchyard generated (a pasted key, an account's tokens, a per-tool client key) but that no file
 *    names any more, because the crash came between storing the secret and saving the setting that refers to it.
 *    No screen shows such a secret and nothing would ever delete it. A secret counts as referenced when its id (or,
 *    for account and client-key secrets, the id they carry) appears as a JSON string in any file of the data dir or
 *    in the config files given; names a person chose (`{"keychain": "my-key"}`) are never collected.
 */
export interface CrashLeftovers {
  removedFiles: string[];
  removedSecrets: string[];
}

const temporaryFile = /^\.?.+\.(\d+)(?:\.[0-9a-f]+)?\.tmp$/u;
/** Ids Switchyard generates: `<provider>.<key>.<6 hex>`, `account:<id>`, `client-key.<id>`. */
const generatedSecret = /^(?:account:(.+)|client-key\.(.+)|[^.\s"]+\.[^.\s"]+\.[0-9a-f]{6})$/u;

function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function cleanCrashLeftovers(options: { dataDir: string; secrets?: SecretStore; configFiles?: string[]; secretsFileName?: string }): Promise<CrashLeftovers> {
  const removedFiles: string[] = [];
  let names: string[];
  try {
    names = await readdir(options.dataDir);
  } catch {
    return { removedFiles, removedSecrets: [] };
  }
  for (const name of names) {
    const match = temporaryFile.exec(name);
    if (!match || processIsAlive(Number(match[1]))) continue;
    await rm(join(options.dataDir, name), { force: true });
    removedFiles.push(name);
  }
  return { removedFiles, removedSecrets: options.secrets ? await collectOrphanSecrets(options.secrets, await referenceTexts(options, names)) : [] };
}

async function referenceTexts(options: { dataDir: string; configFiles?: string[]; secretsFileName?: string }, names: string[]): Promise<string[]> {
  const paths = [
    ...names.filter((name) => name.endsWith('.json') && name !== (options.secretsFileName ?? 'secrets.json')).map((name) => join(options.dataDir, name)),
    ...(options.configFiles ?? []),
  ];
  const texts: string[] = [];
  for (const path of paths) {
    try {
      texts.push(await readFile(path, 'utf8'));
    } catch (error) {
      // A file that cannot be read may still refer to secrets: keep them all rather than guess.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${path} cannot be read, so no secret is collected (${(error as Error).message})`, { cause: error });
    }
  }
  return texts;
}

async function collectOrphanSecrets(secrets: SecretStore, texts: string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const id of await secrets.list()) {
    const match = generatedSecret.exec(id);
    if (!match) continue;
    const carried = match[1] ?? match[2];
    const named = (value: string) => texts.some((text) => text.includes(JSON.stringify(value)));
    if (named(id) || (carried !== undefined && named(carried))) continue;
    if (await secrets.delete(id)) removed.push(id);
  }
  return removed;
}
