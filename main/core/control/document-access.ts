import type { SettingsDocument } from '../../../shared/settings/settings-schema.ts';

// Edits work on the stored JSON document itself, not on parsed settings: fields this version does not know (from a
// newer Switchyard, or added by hand) are never touched, and defaults are not frozen into the file.

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectField(parent: JsonObject, name: string): JsonObject {
  const existing = parent[name];
  if (isObject(existing)) return existing;
  const created: JsonObject = {};
  parent[name] = created;
  return created;
}

export function arrayField(parent: JsonObject, name: string): JsonObject[] {
  const existing = parent[name];
  if (Array.isArray(existing)) return existing as JsonObject[];
  const created: JsonObject[] = [];
  parent[name] = created;
  return created;
}

/** An array field as it is, without creating it (for checks that must not change the document). */
export function existingArray(parent: JsonObject, name: string): JsonObject[] {
  const existing = parent[name];
  return Array.isArray(existing) ? (existing as JsonObject[]) : [];
}

export function configOf(document: SettingsDocument): JsonObject {
  return objectField(document, 'config');
}

export function providersOf(document: SettingsDocument): JsonObject[] {
  return arrayField(configOf(document), 'providers');
}

export function combosOf(document: SettingsDocument): JsonObject[] {
  return arrayField(configOf(document), 'combos');
}

/** Providers and combos for look-ups only: a missing list stays missing. */
export function existingProviders(document: SettingsDocument): JsonObject[] {
  return isObject(document.config) ? existingArray(document.config, 'providers') : [];
}

export function existingCombos(document: SettingsDocument): JsonObject[] {
  return isObject(document.config) ? existingArray(document.config, 'combos') : [];
}

export function targetNameOf(target: unknown): string {
  if (typeof target === 'string') return target;
  return isObject(target) && typeof target.target === 'string' ? target.target : '';
}

/** Sets a field, or removes it when the value is undefined/null (so the default applies again). */
export function setOrDelete(object: JsonObject, name: string, value: unknown): void {
  if (value === undefined || value === null) delete object[name];
  else object[name] = value;
}
