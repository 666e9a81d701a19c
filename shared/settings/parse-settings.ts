import type { z } from 'zod';
import { formatIssuePath } from '../api-contract.ts';
import type { Settings } from './settings-schema.ts';
import { settingsSchema } from './settings-schema.ts';
import { SettingsError } from './migrate-settings.ts';

export interface ParsedSettings {
  settings: Settings;
  /** Fields this version does not know: kept in the file, ignored by the engine. */
  warnings: string[];
}

function removeKeys(target: unknown, path: readonly PropertyKey[], keys: readonly string[]): void {
  let node = target as Record<PropertyKey, unknown> | undefined;
  for (const part of path) node = node?.[part] as Record<PropertyKey, unknown> | undefined;
  if (node && typeof node === 'object') for (const key of keys) delete node[key];
}

function describe(path: readonly PropertyKey[]): string {
  return formatIssuePath(path) || '(top level)';
}

/**
 * Validates a (migrated) settings document. Unknown fields are warnings, not errors: they are left out of the
 * parsed settings the engine uses but stay in the document, so saving keeps them.
 */
export function parseSettings(document: unknown): ParsedSettings {
  let result = settingsSchema.safeParse(document);
  if (result.success) return { settings: result.data, warnings: [] };
  const unknown = result.error.issues.filter((issue): issue is z.core.$ZodIssueUnrecognizedKeys => issue.code === 'unrecognized_keys');
  const problems = result.error.issues.filter((issue) => issue.code !== 'unrecognized_keys');
  if (problems.length > 0) throw new SettingsError('The settings are not valid:', problems.map((issue) => `${describe(issue.path)}: ${issue.message}`));
  const warnings = unknown.flatMap((issue) => issue.keys.map((key) => `${describe([...issue.path, key])}: unknown field, kept but ignored`));
  const stripped: unknown = structuredClone(document);
  for (const issue of unknown) removeKeys(stripped, issue.path, issue.keys);
  result = settingsSchema.safeParse(stripped);
  if (!result.success) throw new SettingsError('The settings are not valid:', result.error.issues.map((issue) => `${describe(issue.path)}: ${issue.message}`));
  return { settings: result.data, warnings };
}
