import type { z } from 'zod';
import type { ProviderConfig } from './provider-schema.ts';
import type { ComboConfig } from './routing-schema.ts';

interface ConfigShape {
  providers: ProviderConfig[];
  combos: ComboConfig[];
  activeCombo?: string | undefined;
}

function targetName(target: ComboConfig['targets'][number]): string {
  return typeof target === 'string' ? target : target.target;
}

/** Checks that ids are unique and that every reference (combo targets, activeCombo) names something that exists. */
export function checkConfigReferences(config: ConfigShape, context: z.RefinementCtx): void {
  const providerIds = new Set<string>();
  config.providers.forEach((provider, index) => {
    if (providerIds.has(provider.id)) {
      context.addIssue({ code: 'custom', path: ['providers', index, 'id'], message: `duplicate provider id "${provider.id}"` });
    }
    providerIds.add(provider.id);
    const keyIds = new Set<string>();
    provider.keys.forEach((key, keyIndex) => {
      if (keyIds.has(key.id)) {
        context.addIssue({ code: 'custom', path: ['providers', index, 'keys', keyIndex, 'id'], message: `duplicate key id "${key.id}"` });
      }
      keyIds.add(key.id);
    });
  });

  const comboNames = new Map<string, ComboConfig>();
  config.combos.forEach((combo, index) => {
    if (comboNames.has(combo.name)) {
      context.addIssue({ code: 'custom', path: ['combos', index, 'name'], message: `duplicate combo name "${combo.name}"` });
    }
    if (providerIds.has(combo.name)) {
      context.addIssue({ code: 'custom', path: ['combos', index, 'name'], message: `combo name "${combo.name}" is also a provider id` });
    }
    comboNames.set(combo.name, combo);
  });

  config.combos.forEach((combo, index) => {
    combo.targets.forEach((target, targetIndex) => {
      const name = targetName(target);
      const slash = name.indexOf('/');
      const head = slash === -1 ? name : name.slice(0, slash);
      if (slash === -1 && comboNames.has(name)) return;
      if (!providerIds.has(head) && !head.includes('*')) {
        context.addIssue({
          code: 'custom',
          path: ['combos', index, 'targets', targetIndex],
          message: `"${name}" names no provider or combo (write provider-id/model, provider-id, or a combo name)`,
        });
      }
    });
  });

  // Nested combos must not loop (a -> b -> a would recurse forever at request time).
  const visiting = new Set<string>();
  const done = new Set<string>();
  const reportedLoops = new Set<string>();
  const visit = (name: string, trail: string[]): void => {
    if (done.has(name)) return;
    if (visiting.has(name)) {
      const loop = [...trail.slice(trail.indexOf(name)), name].join(' -> ');
      if (!reportedLoops.has(name)) {
        reportedLoops.add(name);
        const index = config.combos.findIndex((combo) => combo.name === name);
        context.addIssue({ code: 'custom', path: ['combos', index, 'targets'], message: `combos loop: ${loop}` });
      }
      return;
    }
    visiting.add(name);
    for (const target of comboNames.get(name)?.targets ?? []) {
      const next = targetName(target);
      if (comboNames.has(next)) visit(next, [...trail, name]);
    }
    visiting.delete(name);
    done.add(name);
  };
  for (const name of comboNames.keys()) visit(name, []);

  if (config.activeCombo !== undefined && !comboNames.has(config.activeCombo)) {
    context.addIssue({ code: 'custom', path: ['activeCombo'], message: `no combo named "${config.activeCombo}"` });
  }
}
