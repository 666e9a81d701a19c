import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FileSecretStore } from './file-secret-store.ts';
import type { KeytarApi } from './keytar-secret-store.ts';
import { KeytarSecretStore } from './keytar-secret-store.ts';
import type { SecretStore } from './secret-store.ts';

export const secretsFileName = 'secrets.json';

export interface HeadlessSecretStoreChoice {
  store: SecretStore;
  /** One line for the `serve` banner and the log: which store, and why. */
  reason: string;
}

async function loadKeytar(): Promise<KeytarApi> {
  // keytar is an optional native dependency (CommonJS); a machine without libsecret may not have it built.
  const require = createRequire(import.meta.url);
  return require('keytar') as KeytarApi;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Where headless `serve` keeps keys pasted in the web dashboard: the OS keychain when one answers, else a 0600 file
 * in the data dir (docs/security.md "Keys pasted in web mode"). SWITCHYARD_SECRET_STORE=keychain|file forces one;
 * forcing the keychain when none answers is an error rather than a silent fallback.
 */
export async function openHeadlessSecretStore(
  dataDir: string,
  env: Record<string, string | undefined>,
  options: { loadKeytar?: () => Promise<KeytarApi>; probeTimeoutMs?: number } = {},
): Promise<HeadlessSecretStoreChoice> {
  const forced = env.SWITCHYARD_SECRET_STORE;
  if (forced !== undefined && forced !== 'keychain' && forced !== 'file') {
    throw new Error(`SWITCHYARD_SECRET_STORE must be "keychain" or "file", not "${forced}".`);
  }
  const file = new FileSecretStore(join(dataDir, secretsFileName));
  if (forced === 'file') return { store: file, reason: `file ${file.path} (SWITCHYARD_SECRET_STORE=file)` };

  let problem: string;
  try {
    const keytar = await (options.loadKeytar ?? loadKeytar)();
    const store = new KeytarSecretStore(keytar);
    await withTimeout(store.list(), options.probeTimeoutMs ?? 5_000, 'The OS keychain');
    return { store, reason: 'OS keychain' };
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  if (forced === 'keychain') throw new Error(`SWITCHYARD_SECRET_STORE=keychain, but the OS keychain is not reachable: ${problem}`);
  return { store: file, reason: `file ${file.path} (0600), because the OS keychain is not reachable: ${problem}` };
}
