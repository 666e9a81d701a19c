import type { z } from 'zod';
import { fillPattern, hasWildcard } from './name-pattern.ts';
import type { ProviderConfig } from './provider-schema.ts';
import type { AliasesConfig, ComboConfig, ScenariosConfig } from './routing-schema.ts';
import type { TargetExpression, TargetNames } from './target-expression.ts';
import { maxTargetDepth, parseTargetExpression, targetNamesOf } from './target-expression.ts';

interface ConfigShape {
  providers: ProviderConfig[];
  combos: ComboConfig[];
  activeCombo?: string | undefined;
  aliases?: AliasesConfig | undefined;
  scenarios?: ScenariosConfig | undefined;
  usage?: { requestLog?: { providers: string[] } | undefined } | undefined;
}

function targetName(target: ComboConfig['targets'][number]): string {
  return typeof target === 'string' ? target : target.target;
}

/** Why a target expression names nothing, or undefined when it is fine (docs/routing.md "Target expressions"). */
function targetProblem(expression: TargetExpression): string | undefined {
  if (expression.kind !== 'unknown') return undefined;
  return `"${expression.name}" names no provider, combo or alias (write provider-id/model, provider-id, */model, a combo or an alias)`;
}

/**
 * Checks that ids are unique and that every reference (combo targets, aliases, scenario targets, activeCombo, key
 * constraints) names something that exists, and refuses loops: nested combos and alias chains must end.
 */
export function checkConfigReferences(config: ConfigShape, context: z.RefinementCtx): void {
  const providers = new Map<string, ProviderConfig>();
  config.providers.forEach((provider, index) => {
    if (providers.has(provider.id)) {
      context.addIssue({ code: 'custom', path: ['providers', index, 'id'], message: `duplicate provider id "${provider.id}"` });
    }
    providers.set(provider.id, provider);
    const keyIds = new Set<string>();
    provider.keys.forEach((key, keyIndex) => {
      if (keyIds.has(key.id)) {
        context.addIssue({ code: 'custom', path: ['providers', index, 'keys', keyIndex, 'id'], message: `duplicate key id "${key.id}"` });
      }
      keyIds.add(key.id);
    });
    if (provider.preset && provider.type !== 'openai-compatible' && provider.type !== 'anthropic-compatible') {
      context.addIssue({ code: 'custom', path: ['providers', index, 'preset'], message: 'a preset applies to openai-compatible and anthropic-compatible providers only' });
    }
  });

  const combos = new Map<string, ComboConfig>();
  config.combos.forEach((combo, index) => {
    if (combos.has(combo.name)) {
      context.addIssue({ code: 'custom', path: ['combos', index, 'name'], message: `duplicate combo name "${combo.name}"` });
    }
    if (providers.has(combo.name)) {
      context.addIssue({ code: 'custom', path: ['combos', index, 'name'], message: `combo name "${combo.name}" is also a provider id` });
    }
    combos.set(combo.name, combo);
  });

  const aliases = config.aliases ?? {};
  const names: TargetNames = targetNamesOf(config);
  const parse = (name: string) => parseTargetExpression(name, names);
  for (const [alias, target] of Object.entries(aliases)) {
    if (combos.has(alias)) context.addIssue({ code: 'custom', path: ['aliases', alias], message: `alias "${alias}" is also a combo name` });
    const example = parse(hasWildcard(alias) ? fillPattern(target, ['x']) : target);
    const problem = targetProblem(example);
    if (problem) context.addIssue({ code: 'custom', path: ['aliases', alias], message: problem });
    else if (example.kind === 'alias-pattern' && example.pattern === alias) {
      context.addIssue({ code: 'custom', path: ['aliases', alias], message: `alias pattern "${alias}" -> "${target}" matches its own result and would never end` });
    }
  }

  config.combos.forEach((combo, index) => {
    combo.targets.forEach((target, targetIndex) => {
      const expression = parse(targetName(target));
      const problem = targetProblem(expression);
      if (problem) context.addIssue({ code: 'custom', path: ['combos', index, 'targets', targetIndex], message: problem });
      if (typeof target !== 'string' && target.keys) {
        const provider = expression.kind === 'provider' ? providers.get(expression.providerId) : undefined;
        if (!provider) {
          context.addIssue({ code: 'custom', path: ['combos', index, 'targets', targetIndex, 'keys'], message: 'key constraints need a target of one provider (provider-id or provider-id/model)' });
        } else {
          for (const keyId of target.keys) {
            if (!provider.keys.some((key) => key.id === keyId)) {
              context.addIssue({ code: 'custom', path: ['combos', index, 'targets', targetIndex, 'keys'], message: `provider "${provider.id}" has no key "${keyId}"` });
            }
          }
        }
      }
    });
  });

  for (const [scenario, rule] of Object.entries(config.scenarios ?? {})) {
    if (!rule) continue;
    const problem = targetProblem(parse(rule.target));
    if (problem) context.addIssue({ code: 'custom', path: ['scenarios', scenario, 'target'], message: problem });
  }

  checkComboLoops(config, combos, aliases, context);
  checkAliasLoops(aliases, context);

  if (config.activeCombo !== undefined && !combos.has(config.activeCombo)) {
    context.addIssue({ code: 'custom', path: ['activeCombo'], message: `no combo named "${config.activeCombo}"` });
  }

  config.usage?.requestLog?.providers.forEach((id, index) => {
    if (!providers.has(id)) context.addIssue({ code: 'custom', path: ['usage', 'requestLog', 'providers', index], message: `no provider with id "${id}"` });
  });
}

/** Nested combos (directly or through an exact alias) must not loop: a -> b -> a would never end. */
function checkComboLoops(config: ConfigShape, combos: Map<string, ComboConfig>, aliases: AliasesConfig, context: z.RefinementCtx): void {
  const comboBehind = (name: string): string | undefined => {
    let current = name;
    for (let step = 0; step <= maxTargetDepth; step += 1) {
      if (combos.has(current)) return current;
      const next = aliases[current];
      if (next === undefined) return undefined;
      current = next;
    }
    return undefined;
  };
  const visiting = new Set<string>();
  const done = new Set<string>();
  const reported = new Set<string>();
  const visit = (name: string, trail: string[]): void => {
    if (done.has(name)) return;
    if (visiting.has(name)) {
      const loop = [...trail.slice(trail.indexOf(name)), name].join(' -> ');
      if (!reported.has(name)) {
        reported.add(name);
        const index = config.combos.findIndex((combo) => combo.name === name);
        context.addIssue({ code: 'custom', path: ['combos', index, 'targets'], message: `combos loop: ${loop}` });
      }
      return;
    }
    visiting.add(name);
    for (const target of combos.get(name)?.targets ?? []) {
      const next = comboBehind(targetName(target));
      if (next) visit(next, [...trail, name]);
    }
    visiting.delete(name);
    done.add(name);
  };
  for (const name of combos.keys()) visit(name, []);
}

/** Exact aliases must not point back at themselves (a -> b -> a), and chains must end within the depth limit. */
function checkAliasLoops(aliases: AliasesConfig, context: z.RefinementCtx): void {
  for (const start of Object.keys(aliases)) {
    if (hasWildcard(start)) continue;
    const trail = [start];
    let current = aliases[start]!;
    while (aliases[current] !== undefined && !hasWildcard(current)) {
      if (trail.includes(current)) {
        context.addIssue({ code: 'custom', path: ['aliases', start], message: `aliases loop: ${[...trail, current].join(' -> ')}` });
        break;
      }
      trail.push(current);
      if (trail.length > maxTargetDepth) {
        context.addIssue({ code: 'custom', path: ['aliases', start], message: `alias chain longer than ${maxTargetDepth}` });
        break;
      }
      current = aliases[current]!;
    }
  }
}
