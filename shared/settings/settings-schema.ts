import { z } from 'zod';
import { configSchema } from '../config/config-schema.ts';
import { setupWizardStateSchema } from './setup-wizard-state.ts';

/** Bumped when the settings document changes shape; migrate-settings.ts brings older documents up to date. */
export const currentSettingsVersion = 1;

/**
 * The settings file is `settings.json` in the data dir, written by electron-store in the app and by conf headless
 * (both: `configName`/`name` "settings", plain JSON). The two share one data dir, so the app and `serve` see the
 * same providers and combos.
 */
export const settingsFileBaseName = 'settings';
export const settingsFileName = `${settingsFileBaseName}.json`;

export const preferencesSchema = z.strictObject({
  launchAtLogin: z.boolean().default(false).describe('Start the desktop app (in the tray) when the user logs in.'),
  setupWizard: setupWizardStateSchema.optional().describe('Where the first-run setup wizard was left, so it resumes there.'),
});

/**
 * The app's settings: the engine configuration (shared/config/config-schema.ts) plus desktop preferences.
 * The endpoint's port and LAN sharing are not repeated here: they are the engine's `server.port` and `server.host`
 * ("127.0.0.1" = this machine only, the default; "0.0.0.0" = LAN sharing), so there is one source of truth.
 * Secrets appear only as references (`{"keychain": "id"}`, `{"env": "NAME"}`).
 */
export const settingsSchema = z.strictObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(currentSettingsVersion),
  config: configSchema.default(configSchema.parse({})),
  preferences: preferencesSchema.default(preferencesSchema.parse({})),
});

export type Settings = z.infer<typeof settingsSchema>;
export type Preferences = z.infer<typeof preferencesSchema>;

/** The settings document as stored: plain JSON, possibly with fields this version does not know. */
export type SettingsDocument = Record<string, unknown> & { schemaVersion: number };

/** Host values that keep the endpoint private to this machine. */
export const loopbackHosts = ['127.0.0.1', 'localhost', '::1'] as const;
export const lanSharingHost = '0.0.0.0';

export function isLanSharing(host: string): boolean {
  return !(loopbackHosts as readonly string[]).includes(host);
}
