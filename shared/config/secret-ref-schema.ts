import { z } from 'zod';

/**
 * Where a secret comes from. Settings and config files hold references, never the secret itself:
 * - `{ "env": "NAME" }`    read from the environment at start (headless `serve`),
 * - `{ "keychain": "id" }` an entry in the OS keychain (the desktop app stores pasted keys there),
 * - a plain string         an inline secret: accepted for quick experiments, warned about at load.
 */
export const secretRefSchema = z.union(
  [
    z.strictObject({ env: z.string().min(1).describe('Name of the environment variable that holds the secret.') }),
    z.strictObject({ keychain: z.string().min(1).describe('Id of the secret in the OS keychain (desktop app).') }),
    z.string().min(1).describe('An inline secret. Prefer an env or keychain reference.'),
  ],
  { error: 'expected {"env": "NAME"}, {"keychain": "id"} or an inline string' },
);

export type SecretRef = z.infer<typeof secretRefSchema>;

export function describeSecretRef(ref: SecretRef): string {
  if (typeof ref === 'string') return 'inline secret';
  if ('env' in ref) return `env ${ref.env}`;
  return `keychain ${ref.keychain}`;
}
