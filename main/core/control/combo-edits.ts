import type { ApiParsedArgs } from '../../../shared/api-contract.ts';
import type { SettingsDocument } from '../../../shared/settings/settings-schema.ts';
import { conflict, notFound } from './control-error.ts';
import { combosOf, configOf, existingCombos, existingProviders, isObject, targetNameOf } from './document-access.ts';

/**
 * Creates or replaces a combo. Target entries that already existed keep their extra fields (a weight, say);
 * a rename carries the active combo and references from other combos along.
 */
export function saveCombo(document: SettingsDocument, args: ApiParsedArgs<'combos.save'>): void {
  const combos = combosOf(document);
  const config = configOf(document);
  const previousName = args.previousName ?? args.name;
  const existing = combos.find((combo) => combo.name === previousName);
  if (args.previousName !== undefined && !existing) throw notFound(`There is no combo "${args.previousName}".`);
  if (args.name !== previousName && combos.some((combo) => combo.name === args.name)) {
    throw conflict(`A combo named "${args.name}" already exists. Pick another name.`);
  }
  if (existingProviders(document).some((provider) => provider.id === args.name)) {
    throw conflict(`"${args.name}" is already the name of a provider. Pick another name for the combo.`);
  }
  const duplicates = args.targets.filter((target, index) => args.targets.indexOf(target) !== index);
  if (duplicates.length > 0) throw conflict(`"${duplicates[0]}" appears twice in the combo; each target once is enough.`);

  const unknownWeight = Object.keys(args.weights ?? {}).find((target) => !args.targets.includes(target));
  if (unknownWeight !== undefined) throw conflict(`"${unknownWeight}" has a weight but is not one of the combo's targets.`);

  const previousTargets: unknown[] = existing && Array.isArray(existing.targets) ? existing.targets : [];
  const kept = args.targets.map((name) => previousTargets.find((target) => isObject(target) && targetNameOf(target) === name) ?? name);
  const targets = args.weights === undefined ? kept : kept.map((target, index) => withWeight(target, args.targets[index]!, args.weights![args.targets[index]!]));
  if (existing) {
    existing.name = args.name;
    existing.targets = targets;
    existing.strategy = args.strategy;
  } else {
    combos.push({ name: args.name, targets, strategy: args.strategy });
  }
  if (args.name !== previousName) {
    if (config.activeCombo === previousName) config.activeCombo = args.name;
    for (const combo of combos) {
      if (!Array.isArray(combo.targets)) continue;
      combo.targets = combo.targets.map((target) => {
        if (target === previousName) return args.name;
        if (isObject(target) && target.target === previousName) return { ...target, target: args.name };
        return target;
      });
    }
  }
}

/** A target entry with its weight set, or removed (an entry left with nothing but its name becomes a plain string). */
function withWeight(entry: unknown, name: string, weight: number | undefined): unknown {
  const fields: Record<string, unknown> = isObject(entry) ? { ...entry } : { target: name };
  if (weight === undefined) delete fields.weight;
  else fields.weight = weight;
  return Object.keys(fields).length === 1 && fields.target === name ? name : fields;
}

export function removeCombo(document: SettingsDocument, name: string): void {
  const combos = existingCombos(document);
  const index = combos.findIndex((combo) => combo.name === name);
  if (index === -1) throw notFound(`There is no combo "${name}".`);
  const users = combos.filter((combo) => Array.isArray(combo.targets) && combo.targets.some((target) => targetNameOf(target) === name));
  if (users.length > 0) throw conflict(`The combo "${users[0]!.name as string}" uses "${name}". Remove it from there first.`);
  combos.splice(index, 1);
  const config = configOf(document);
  if (config.activeCombo === name) delete config.activeCombo;
}

export function activateCombo(document: SettingsDocument, name: string | null): void {
  const config = configOf(document);
  if (name === null) {
    delete config.activeCombo;
    return;
  }
  if (!existingCombos(document).some((combo) => combo.name === name)) throw notFound(`There is no combo "${name}".`);
  config.activeCombo = name;
}
