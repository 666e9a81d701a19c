import { formatIssuePath } from '../api-contract.ts';
import { isRecord } from '../is-record.ts';

// What a masked or placeholder secret looks like in the wild: our own mask (`****abcd`), ellipses and bullets from
// UIs, and the usual stand-ins. Such a string written back as a secret would replace a working key with garbage.
const maskedShapes = [/\*{3,}/, /\u2026/, /\u2022/, /^<.*>$/, /^\[?(redacted|masked|hidden)\]?$/i, /^x{6,}$/i];

export function looksMasked(value: string): boolean {
  return maskedShapes.some((shape) => shape.test(value));
}

/** Paths of inline secrets in a settings document that look masked. Saving refuses a document with any. */
export function findMaskedSecrets(document: unknown): string[] {
  const found: string[] = [];
  const check = (value: unknown, path: PropertyKey[]) => {
    if (typeof value === 'string' && looksMasked(value)) found.push(formatIssuePath(path));
  };
  const config = isRecord(document) && isRecord(document.config) ? document.config : undefined;
  if (!config) return found;
  const server = isRecord(config.server) ? config.server : undefined;
  if (Array.isArray(server?.clientKeys)) server.clientKeys.forEach((ref, index) => check(ref, ['config', 'server', 'clientKeys', index]));
  check(server?.managementToken, ['config', 'server', 'managementToken']);
  if (Array.isArray(config.providers)) {
    config.providers.forEach((provider, index) => {
      if (!isRecord(provider) || !Array.isArray(provider.keys)) return;
      provider.keys.forEach((key, keyIndex) => {
        if (isRecord(key)) check(key.secret, ['config', 'providers', index, 'keys', keyIndex, 'secret']);
      });
    });
  }
  return found;
}
