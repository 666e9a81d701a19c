import type { SecretRef } from '../../../shared/config/secret-ref-schema.ts';
import { describeSecretRef } from '../../../shared/config/secret-ref-schema.ts';
import type { SecretStore } from './secret-store.ts';

export class SecretResolutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretResolutionError';
  }
}

export interface SecretSources {
  env: Record<string, string | undefined>;
  /** The keychain (desktop app); absent headless, where keychain references cannot be resolved. */
  keychain?: SecretStore;
}

/** Turns a secret reference into the secret, or explains exactly which reference is missing (never the value). */
export async function resolveSecret(ref: SecretRef, sources: SecretSources, where: string): Promise<string> {
  if (typeof ref === 'string') return ref;
  if ('env' in ref) {
    const value = sources.env[ref.env];
    if (value === undefined || value === '') {
      throw new SecretResolutionError(`${where}: environment variable ${ref.env} is not set`);
    }
    return value;
  }
  if (!sources.keychain) {
    throw new SecretResolutionError(`${where}: ${describeSecretRef(ref)} cannot be read here (no keychain in headless mode; use {"env": "NAME"})`);
  }
  const value = await sources.keychain.get(ref.keychain);
  if (value === undefined) throw new SecretResolutionError(`${where}: ${describeSecretRef(ref)} is not in the ${sources.keychain.kind}`);
  return value;
}
