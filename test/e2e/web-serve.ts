import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServe } from '../../main/core/cli/serve-command.ts';
import type { Engine } from '../../main/core/engine.ts';
import { rendererOutput } from './build-renderer.ts';

/** With a D-Bus session (npm test) pasted keys go to the real keychain; without one, to the 0600 file. */
export const keychainExpected = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);

/**
 * `serve` in web mode serving the built renderer, on 127.0.0.1:0, with only the environment given (no provider keys
 * from the machine running the tests), and the one-time sign-in link it prints. Pasted keys go to the real keychain
 * when there is one, unless `secretStore: 'file'` (the 0600 file); `config` is a config file to serve.
 */
export async function startWebServe(
  dataDir: string,
  env: Record<string, string> = {},
  options: { config?: string; secretStore?: 'file' } = {},
): Promise<{ engine: Engine; signInUrl: string; banner: string[] }> {
  const banner: string[] = [];
  const engine = await startServe(
    { dataDir, ...(options.config ? { config: options.config } : {}), host: '127.0.0.1', port: 0, uiDir: rendererOutput, logLevel: 'warn' },
    { env: { ...env, SWITCHYARD_SECRET_STORE: options.secretStore ?? (keychainExpected ? 'keychain' : 'file') }, out: (line) => banner.push(line), err: () => {} },
  );
  const link = banner.find((line) => line.includes('one-time sign-in link'));
  return { engine, signInUrl: link?.slice(link.indexOf('http')) ?? '', banner };
}

interface KeytarModule {
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** The keychain ids of the provider keys a run stored (from its settings.json). */
export async function storedKeychainIds(dataDir: string): Promise<string[]> {
  const text = await readFile(join(dataDir, 'settings.json'), 'utf8').catch(() => '{}');
  const document = JSON.parse(text) as { config?: { providers?: Array<{ keys?: Array<{ secret?: { keychain?: unknown } }> }> } };
  return (document.config?.providers ?? []).flatMap((provider) => (provider.keys ?? []).map((key) => key.secret?.keychain).filter((id): id is string => typeof id === 'string'));
}

/** Removes the keys a run put in the real keychain, so repeated runs leave nothing behind. */
export async function forgetKeychainKeys(dataDir: string): Promise<void> {
  if (!keychainExpected) return;
  const keytar = createRequire(import.meta.url)('keytar') as KeytarModule;
  for (const id of await storedKeychainIds(dataDir)) await keytar.deletePassword('Switchyard', id).catch(() => false);
}
