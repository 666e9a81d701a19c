import type { SettingsDocument } from './settings-schema.ts';
import { currentSettingsVersion } from './settings-schema.ts';
import { isRecord } from '../is-record.ts';

export class SettingsError extends Error {
  readonly problems: string[];
  constructor(message: string, problems: string[] = []) {
    super(problems.length > 0 ? `${message}\n${problems.map((problem) => `  ${problem}`).join('\n')}` : message);
    this.name = 'SettingsError';
    this.problems = problems;
  }
}

const engineConfigFields = ['server', 'providers', 'combos', 'activeCombo'];

/**
 * One step per version: takes a document of version N-1 (0 = no `schemaVersion`) and returns version N.
 * Steps only move and rename; they keep every field they do not know about, so a newer app's additions survive.
 */
const steps: Array<(document: Record<string, unknown>) => Record<string, unknown>> = [
  // 0 -> 1: before settings existed, a bare engine config (the config.json of `serve`) was the whole file.
  (document) => {
    const { $schema: _schema, ...rest } = document;
    const looksLikeEngineConfig = engineConfigFields.some((field) => field in rest);
    if (!looksLikeEngineConfig) return { ...rest, schemaVersion: 1, config: {}, preferences: {} };
    return { schemaVersion: 1, config: rest, preferences: {} };
  },
];

export interface MigratedSettings {
  document: SettingsDocument;
  /** The version the stored document had (0 when it had none). */
  fromVersion: number;
  migrated: boolean;
}

/**
 * Brings a stored document (or nothing, for a first start) up to the current version. Never loses data: a document
 * from a newer Switchyard is refused rather than rewritten, since this version would drop what it cannot read.
 */
export function migrateSettings(stored: unknown): MigratedSettings {
  if (stored === undefined || stored === null || (isRecord(stored) && Object.keys(stored).length === 0)) {
    return { document: { schemaVersion: currentSettingsVersion, config: {}, preferences: {} }, fromVersion: currentSettingsVersion, migrated: false };
  }
  if (!isRecord(stored)) throw new SettingsError('The settings file does not hold a JSON object.');
  const version = stored.schemaVersion === undefined ? 0 : stored.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new SettingsError(`The settings file has an invalid schemaVersion (${JSON.stringify(stored.schemaVersion)}).`);
  }
  if (version > currentSettingsVersion) {
    throw new SettingsError(
      `The settings file was written by a newer Switchyard (settings version ${version}; this one reads up to ${currentSettingsVersion}). Update Switchyard; the file was left untouched.`,
    );
  }
  let document: Record<string, unknown> = structuredClone(stored);
  for (let next = version; next < currentSettingsVersion; next += 1) document = steps[next]!(document);
  return { document: document as SettingsDocument, fromVersion: version, migrated: version !== currentSettingsVersion };
}
