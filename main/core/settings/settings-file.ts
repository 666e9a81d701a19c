import type { SettingsDocument } from '../../../shared/settings/settings-schema.ts';
import type { ParsedSettings } from '../../../shared/settings/parse-settings.ts';
import { parseSettings } from '../../../shared/settings/parse-settings.ts';
import { migrateSettings, SettingsError } from '../../../shared/settings/migrate-settings.ts';
import { findMaskedSecrets } from '../../../shared/settings/masked-values.ts';
import type { SettingsStore } from './settings-store.ts';

export interface LoadedSettings extends ParsedSettings {
  /** The document as stored (migrated), unknown fields included: what edits start from. */
  document: SettingsDocument;
  migrated: boolean;
}

/** Reads, migrates and validates the stored settings. Throws SettingsError with every problem. */
export async function loadSettings(store: SettingsStore): Promise<LoadedSettings> {
  let stored: unknown;
  try {
    stored = await store.read();
  } catch (error) {
    throw new SettingsError(`${store.location} cannot be read: ${(error as Error).message}`);
  }
  const { document, migrated } = migrateSettings(stored);
  const parsed = parseSettings(document);
  return { ...parsed, document, migrated };
}

/**
 * Validates and writes a settings document. Refuses a masked or placeholder secret (it would replace a working key
 * with `****abcd`) and a document that does not validate; fields the schema does not know are written unchanged.
 */
export async function saveSettings(store: SettingsStore, document: SettingsDocument): Promise<ParsedSettings> {
  if (store.readOnlyReason) throw new SettingsError(store.readOnlyReason);
  const masked = findMaskedSecrets(document);
  if (masked.length > 0) {
    throw new SettingsError('Refusing to save masked values in place of secrets:', masked.map((path) => `${path}: looks like a masked key, not a key`));
  }
  const parsed = parseSettings(document);
  await store.write(document);
  return parsed;
}
