import { maskSecret, SecretMasker } from '../logging/secret-masker.ts';

/** `NAME=value`, `name = "value"` or `"name": "value"` where the name says it holds a secret. */
const secretAssignment = /((?:"?[A-Za-z0-9_.-]*(?:key|token|secret|password)[A-Za-z0-9_.-]*"?)\s*[:=]\s*"?)([^"\s,}]{8,})/gi;

/**
 * A tool's settings file as the dashboard may show it in a diff: every value that looks like a key (by its shape or by
 * the name it is assigned to) keeps only its last four characters. Keys never reach the renderer whole.
 */
export function maskFileText(text: string): string {
  const shaped = new SecretMasker().mask(text);
  return shaped.replace(secretAssignment, (_match, name: string, value: string) => `${name}${value.startsWith('****') ? value : maskSecret(value)}`);
}
