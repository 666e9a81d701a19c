import { fillPattern, hasWildcard, matchPattern } from './name-pattern.ts';

// Target expressions (docs/routing.md "Target expressions"), parsed in this one place for the config validator and
// the router, so a name the validator accepts is a name the router can follow, and the other way round.

/** Longest chain of aliases and nested combos; the validator refuses longer ones and the router stops there too. */
export const maxTargetDepth = 16;

/** The model part of `provider-id/...`. */
export type ModelChoice =
  /** `provider-id`, `provider-id/` or `provider-id/*`: the requested model (a combo called by name: the provider's first). */
  | { kind: 'requested' }
  /** `provider-id/model`. */
  | { kind: 'fixed'; model: string }
  /** `provider-id/claude-*`: the requested model, only when it matches. */
  | { kind: 'matching'; pattern: string };

export type TargetExpression =
  | { kind: 'alias'; name: string; target: string }
  | { kind: 'combo'; name: string }
  /** One provider. `bare`: written as `provider-id` alone. */
  | { kind: 'provider'; providerId: string; model: ModelChoice; bare: boolean }
  /** `*​/model`, `team-*​/model`: every enabled provider whose id matches the pattern and that serves the model. */
  | { kind: 'providers'; pattern: string; model: ModelChoice }
  /** A `*` alias pattern matched: `target` is its value with the captures filled in. */
  | { kind: 'alias-pattern'; pattern: string; target: string }
  | { kind: 'unknown'; name: string };

/** The names a config defines, in the form the parser reads them. Build it with `targetNamesOf`. */
export interface TargetNames {
  readonly aliases: Readonly<Record<string, string>>;
  /** The `*` aliases in the order written (patterns are tried in that order). */
  readonly patternAliases: ReadonlyArray<readonly [string, string]>;
  readonly combos: ReadonlySet<string>;
  /** Every provider id, switched on or off (a switched-off provider is named, it just cannot serve). */
  readonly providers: ReadonlySet<string>;
}

interface NamedConfig {
  providers: ReadonlyArray<{ id: string }>;
  combos: ReadonlyArray<{ name: string }>;
  aliases?: Readonly<Record<string, string>> | undefined;
}

const namesCache = new WeakMap<NamedConfig, TargetNames>();

/** The names of a config; computed once per config object. */
export function targetNamesOf(config: NamedConfig): TargetNames {
  let names = namesCache.get(config);
  if (!names) {
    const aliases = config.aliases ?? {};
    names = {
      aliases,
      patternAliases: Object.entries(aliases).filter(([from]) => hasWildcard(from)),
      combos: new Set(config.combos.map((combo) => combo.name)),
      providers: new Set(config.providers.map((provider) => provider.id)),
    };
    namesCache.set(config, names);
  }
  return names;
}

function modelChoice(part: string): ModelChoice {
  if (part === '' || part === '*') return { kind: 'requested' };
  return hasWildcard(part) ? { kind: 'matching', pattern: part } : { kind: 'fixed', model: part };
}

/**
 * What a name means, in the router's order: an exact alias, a combo, `provider-id/...` (or a `*` provider pattern),
 * a bare `provider-id`, then the `*` alias patterns. `bareProviders: false` is for the model a client sends: there a
 * bare provider id is not a target (a model may be called like a provider).
 */
export function parseTargetExpression(text: string, names: TargetNames, options: { bareProviders: boolean } = { bareProviders: true }): TargetExpression {
  const aliased = names.aliases[text];
  if (aliased !== undefined && !hasWildcard(text)) return { kind: 'alias', name: text, target: aliased };
  if (names.combos.has(text)) return { kind: 'combo', name: text };

  const slash = text.indexOf('/');
  if (slash > 0) {
    const head = text.slice(0, slash);
    const model = modelChoice(text.slice(slash + 1));
    if (hasWildcard(head)) return { kind: 'providers', pattern: head, model };
    if (names.providers.has(head)) return { kind: 'provider', providerId: head, model, bare: false };
  } else if (options.bareProviders && names.providers.has(text)) {
    return { kind: 'provider', providerId: text, model: { kind: 'requested' }, bare: true };
  }

  for (const [pattern, target] of names.patternAliases) {
    const captures = matchPattern(pattern, text);
    if (captures) return { kind: 'alias-pattern', pattern, target: fillPattern(target, captures) };
  }
  return { kind: 'unknown', name: text };
}

/** The model a `ModelChoice` picks for a request for `requested` (undefined: it does not apply, or nothing was requested). */
export function chooseModel(choice: ModelChoice, requested: string | undefined): string | undefined {
  if (choice.kind === 'fixed') return choice.model;
  if (choice.kind === 'requested') return requested;
  return requested !== undefined && matchPattern(choice.pattern, requested) !== undefined ? requested : undefined;
}
