import type { ApiParsedArgs } from '../../../shared/api-contract.ts';
import type { SettingsDocument } from '../../../shared/settings/settings-schema.ts';
import { conflict, notFound } from './control-error.ts';
import type { JsonObject } from './document-access.ts';
import { arrayField, existingCombos, existingProviders, isObject, providersOf, setOrDelete, targetNameOf } from './document-access.ts';

export interface NewKeyEntry {
  id: string;
  /** Id of the secret in the secret store. */
  secretId: string;
  label?: string;
}

export function findProvider(document: SettingsDocument, id: string): JsonObject {
  const provider = existingProviders(document).find((candidate) => candidate.id === id);
  if (!provider) throw notFound(`There is no provider "${id}".`);
  return provider;
}

function keyEntry(key: NewKeyEntry): JsonObject {
  const entry: JsonObject = { id: key.id, secret: { keychain: key.secretId } };
  if (key.label) entry.label = key.label;
  return entry;
}

/** `key-1`, `key-2`, ...: the next `count` ids not taken in this provider. */
export function nextKeyIds(provider: JsonObject, count: number): string[] {
  const taken = new Set(arrayField(provider, 'keys').map((key) => key.id));
  const ids: string[] = [];
  for (let number = 1; ids.length < count; number += 1) {
    const id = `key-${number}`;
    if (!taken.has(id)) ids.push(id);
  }
  return ids;
}

export function addProvider(document: SettingsDocument, args: ApiParsedArgs<'providers.add'>, keys: NewKeyEntry[]): void {
  const providers = providersOf(document);
  if (providers.some((provider) => provider.id === args.id)) throw conflict(`A provider named "${args.id}" already exists. Pick another name.`);
  if (existingCombos(document).some((combo) => combo.name === args.id)) throw conflict(`"${args.id}" is already the name of a combo. Pick another name.`);
  const provider: JsonObject = { id: args.id, type: args.type };
  if (args.name) provider.name = args.name;
  if (args.baseUrl) provider.baseUrl = args.baseUrl;
  provider.models = [...new Set(args.models)];
  provider.keys = keys.map(keyEntry);
  providers.push(provider);
}

export function updateProvider(document: SettingsDocument, args: ApiParsedArgs<'providers.update'>): void {
  const provider = findProvider(document, args.id);
  if (args.enabled !== undefined) provider.enabled = args.enabled;
  if (args.name !== undefined) setOrDelete(provider, 'name', args.name || null);
  if (args.baseUrl !== undefined) setOrDelete(provider, 'baseUrl', args.baseUrl);
  if (args.models !== undefined) provider.models = [...new Set(args.models)];
}

/** Removes a provider; returns its keys' secret references so the caller can delete stored secrets. */
export function removeProvider(document: SettingsDocument, id: string): unknown[] {
  const providers = providersOf(document);
  const index = providers.findIndex((provider) => provider.id === id);
  if (index === -1) throw notFound(`There is no provider "${id}".`);
  const users = existingCombos(document)
    .filter((combo) => Array.isArray(combo.targets) && combo.targets.some((target) => targetNameOf(target).split('/')[0] === id))
    .map((combo) => String(combo.name));
  if (users.length > 0) {
    throw conflict(`"${id}" is used by the combo${users.length === 1 ? '' : 's'} ${users.map((name) => `"${name}"`).join(', ')}. Remove it from there first.`);
  }
  const [removed] = providers.splice(index, 1);
  return arrayField(removed!, 'keys').map((key) => key.secret);
}

export function addKeys(document: SettingsDocument, providerId: string, keys: NewKeyEntry[]): void {
  const provider = findProvider(document, providerId);
  arrayField(provider, 'keys').push(...keys.map(keyEntry));
}

export function findKey(document: SettingsDocument, providerId: string, keyId: string): JsonObject {
  const key = arrayField(findProvider(document, providerId), 'keys').find((candidate) => candidate.id === keyId);
  if (!key) throw notFound(`Provider "${providerId}" has no key "${keyId}".`);
  return key;
}

export function updateKey(document: SettingsDocument, args: ApiParsedArgs<'keys.update'>): void {
  const key = findKey(document, args.providerId, args.keyId);
  if (args.enabled !== undefined) key.enabled = args.enabled;
  if (args.label !== undefined) setOrDelete(key, 'label', args.label || null);
}

/** Removes a key; returns its secret reference. */
export function removeKey(document: SettingsDocument, providerId: string, keyId: string): unknown {
  const keys = arrayField(findProvider(document, providerId), 'keys');
  const index = keys.findIndex((key) => key.id === keyId);
  if (index === -1) throw notFound(`Provider "${providerId}" has no key "${keyId}".`);
  const [removed] = keys.splice(index, 1);
  return isObject(removed) ? removed.secret : undefined;
}
