import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { credentialsFileName, ensureLocalCredentials, generateSecret } from '../../core/config/local-credentials.ts';
import type { LocalCredentials } from '../../core/config/runtime-config.ts';
import { FileSecretStore } from '../../core/secrets/file-secret-store.ts';
import { secretsFileName } from '../../core/secrets/open-headless-secret-store.ts';
import type { SecretStore } from '../../core/secrets/secret-store.ts';
import type { KeytarApi } from '../../core/secrets/keytar-secret-store.ts';
import { KeytarSecretStore } from '../../core/secrets/keytar-secret-store.ts';

/** Keychain ids of the app's own secrets (next to the provider keys, under the same service). */
export const clientKeySecretId = 'switchyard.client-key';
export const managementTokenSecretId = 'switchyard.management-token';

export interface AppSecrets {
  store: SecretStore;
  local: LocalCredentials;
  /** Set when the OS keychain could not be used: one short line for the tray, and the full reason for the log. */
  problem?: { summary: string; detail: string };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function readDataDirCredentials(dataDir: string): Promise<Partial<LocalCredentials>> {
  try {
    return JSON.parse(await readFile(join(dataDir, credentialsFileName), 'utf8')) as Partial<LocalCredentials>;
  } catch {
    return {};
  }
}

/**
 * The client key and management token live in the keychain in the app. When `serve` ran on this data dir before,
 * its credentials.json is taken over, so clients already pointed at Switchyard keep working with the same key.
 */
async function keychainCredentials(store: SecretStore, dataDir: string): Promise<LocalCredentials> {
  let clientKey = await store.get(clientKeySecretId);
  let managementToken = await store.get(managementTokenSecretId);
  if (clientKey && managementToken) return { clientKey, managementToken };
  const previous = await readDataDirCredentials(dataDir);
  if (!clientKey) {
    clientKey = typeof previous.clientKey === 'string' ? previous.clientKey : generateSecret('sy');
    await store.set(clientKeySecretId, clientKey);
  }
  if (!managementToken) {
    managementToken = typeof previous.managementToken === 'string' ? previous.managementToken : generateSecret('sym');
    await store.set(managementTokenSecretId, managementToken);
  }
  return { clientKey, managementToken };
}

/**
 * Opens the OS keychain (a first call may show the system's unlock prompt, hence the long wait). When no keychain
 * answers (a Linux session without a Secret Service), pasted keys and the app's credentials go to 0600 files in the
 * data dir, like headless `serve`, and the reason is reported rather than hidden.
 */
export async function openAppSecrets(options: { keytar: () => Promise<KeytarApi>; dataDir: string; probeTimeoutMs?: number }): Promise<AppSecrets> {
  let reason: string;
  try {
    const keychain = new KeytarSecretStore(await options.keytar());
    await withTimeout(keychain.probe(), options.probeTimeoutMs ?? 30_000);
    return { store: keychain, local: await withTimeout(keychainCredentials(keychain, options.dataDir), options.probeTimeoutMs ?? 30_000) };
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  }
  const file = new FileSecretStore(join(options.dataDir, secretsFileName));
  const local = await ensureLocalCredentials(options.dataDir);
  return {
    store: file,
    local: { clientKey: local.clientKey, managementToken: local.managementToken },
    problem: {
      summary: 'no OS keychain; keys kept in a private file',
      detail: `The OS keychain is not reachable, so keys are kept in ${file.path} (mode 0600): ${reason}`,
    },
  };
}
