import type { SwitchyardConfig } from '../../../shared/config/config-schema.ts';
import { hasWildcard, matchPattern } from '../../../shared/config/name-pattern.ts';
import type { ModelChoice, TargetExpression, TargetNames } from '../../../shared/config/target-expression.ts';
import { chooseModel, maxTargetDepth, parseTargetExpression, targetNamesOf } from '../../../shared/config/target-expression.ts';
import type { ProviderConfig, ProviderType } from '../../../shared/config/provider-schema.ts';
import type { ComboConfig, ComboTarget, ScenarioName } from '../../../shared/config/routing-schema.ts';
import { requestError } from '../errors/proxy-error.ts';
import type { RequestTraits } from './request-traits.ts';
import type { RouteTarget } from './route-target.ts';
import type { RouterState } from './router-state.ts';
import { createRouterState } from './router-state.ts';

/** Models a provider is known to serve beyond its configured `models` (preset defaults, lists fetched upstream). */
export type ModelLookup = (providerId: string) => readonly string[] | undefined;

export interface RouteInput {
  /** The model name as the client sent it. */
  model: string;
  config: SwitchyardConfig;
  /** What the scenario rules look at; without it no scenario applies. */
  traits?: RequestTraits;
  models?: ModelLookup;
  state?: RouterState;
}

export interface RoutePlan {
  targets: RouteTarget[];
  /** How the name was resolved, for logs and the dry-run API: `direct`, `alias:sonnet`, `combo:fast`, `scenario:background`, ... */
  route: string;
}

interface Context {
  config: SwitchyardConfig;
  /** Enabled providers only. */
  providers: Map<string, ProviderConfig>;
  combos: Map<string, ComboConfig>;
  names: TargetNames;
  /** Target expressions of the config (combo entries, alias values, scenario targets), parsed once per config. */
  parsed: Map<string, TargetExpression>;
  models: ModelLookup;
  state: RouterState;
}

const fallbackState = createRouterState(() => 0);

/**
 * Model name -> ordered targets (docs/routing.md). In order:
 *   1. scenario rules, unless the name is an explicit `provider-id/model`;
 *   2. an exact alias, a combo name, `provider-id/model` (or a `*` provider), then `*` alias patterns in order;
 *   3. a bare name goes to the active combo, where a model-less entry (`provider-id`) keeps the requested name;
 *   4. without an active combo: the providers that list the model, else those whose kind serves its family
 *      (claude-… to Anthropic, gpt-…/o1… to OpenAI, gemini-… to Gemini).
 * Pure: the same input and router state always give the same plan. Throws a 404 request error for unknown names.
 */
export function routeModel(input: RouteInput): RoutePlan {
  const context = createContext(input);
  const name = input.model.startsWith('models/') ? input.model.slice('models/'.length) : input.model;
  const requested = parseRequested(name, context);

  if (input.traits && !isExplicit(requested)) {
    const scenario = pickScenario(name, input.traits, input.config);
    if (scenario) {
      const targets = expand(parseConfigured(scenario.target, context), context, name, 0);
      if (targets && targets.length > 0) return { targets, route: `scenario:${scenario.name}` };
    }
  }

  // The client's own name: an alias or combo it names takes no requested model of its own (`provider-id` entries
  // then use the provider's first model), while `provider-id/*` and patterns take the name itself.
  const named = expand(requested, context, requested.kind === 'alias' || requested.kind === 'combo' ? undefined : name, 0);
  if (named) return { targets: named, route: describeRoute(requested) };

  const active = input.config.activeCombo ? context.combos.get(input.config.activeCombo) : undefined;
  if (active) return { targets: expandCombo(active, context, name, 0), route: `active-combo:${active.name}` };

  const listing = [...context.providers.values()].filter((provider) => knownModels(provider, context).includes(name));
  if (listing.length > 0) return { targets: listing.map((provider) => ({ providerId: provider.id, model: name })), route: 'listing' };

  const family = familyOf(name);
  const byFamily = family ? [...context.providers.values()].filter((provider) => family.includes(provider.type)) : [];
  if (byFamily.length > 0) return { targets: byFamily.map((provider) => ({ providerId: provider.id, model: name })), route: 'family' };

  throw unknownModel(input.model, input.config);
}

/** The targets alone (the first version of the router's signature). */
export function resolveTargets(config: SwitchyardConfig, requestedModel: string): RouteTarget[] {
  return routeModel({ model: requestedModel, config }).targets;
}

const contexts = new WeakMap<SwitchyardConfig, Omit<Context, 'models' | 'state'>>();

function createContext(input: RouteInput): Context {
  let base = contexts.get(input.config);
  if (!base) {
    base = {
      config: input.config,
      providers: new Map(input.config.providers.filter((provider) => provider.enabled).map((provider) => [provider.id, provider])),
      combos: new Map(input.config.combos.map((combo) => [combo.name, combo])),
      names: targetNamesOf(input.config),
      parsed: new Map(),
    };
    contexts.set(input.config, base);
  }
  return { ...base, models: input.models ?? (() => undefined), state: input.state ?? fallbackState };
}

function knownModels(provider: ProviderConfig, context: Context): readonly string[] {
  const extra = context.models(provider.id);
  return extra && extra.length > 0 ? [...provider.models, ...extra] : provider.models;
}

/**
 * A name as the client sent it (a bare provider id is not a target there). Request names are parsed afresh, never
 * cached: they come from clients, and a cache of them would grow without bound.
 */
function parseRequested(name: string, context: Context): TargetExpression {
  return parseTargetExpression(name, context.names, { bareProviders: false });
}

/** A target expression written in the config: parsed once per config. */
function parseConfigured(name: string, context: Context): TargetExpression {
  let parsed = context.parsed.get(name);
  if (!parsed) {
    parsed = parseTargetExpression(name, context.names);
    context.parsed.set(name, parsed);
  }
  return parsed;
}

function isExplicit(expression: TargetExpression): boolean {
  return expression.kind === 'providers' || (expression.kind === 'provider' && !expression.bare);
}

function describeRoute(expression: TargetExpression): string {
  if (expression.kind === 'alias') return `alias:${expression.name}`;
  if (expression.kind === 'combo') return `combo:${expression.name}`;
  if (expression.kind === 'alias-pattern') return `alias:${expression.pattern}`;
  return 'direct';
}

const scenarioOrder: ScenarioName[] = ['longContext', 'webSearch', 'background', 'thinking'];

/** Long context first (the target must fit the input), then web search (needs the tool), background, thinking. */
export function pickScenario(name: string, traits: RequestTraits, config: SwitchyardConfig): { name: ScenarioName; target: string } | undefined {
  const scenarios = config.scenarios ?? {};
  for (const scenario of scenarioOrder) {
    const rule = scenarios[scenario];
    if (!rule) continue;
    let applies = false;
    if (scenario === 'longContext') applies = traits.estimatedInputTokens() > (scenarios.longContext?.thresholdTokens ?? 60_000);
    else if (scenario === 'webSearch') applies = traits.webSearch();
    else if (scenario === 'background') applies = (scenarios.background?.models ?? ['*haiku*']).some((pattern) => matchPattern(pattern, name) !== undefined);
    else applies = traits.thinking();
    if (applies) return { name: scenario, target: rule.target };
  }
  return undefined;
}

/**
 * Expands a parsed target expression. `requested` is the model the client asked for: a `provider-id` entry and a
 * `*` in a model part take it. Returns undefined when the expression names nothing (so the caller tries what is
 * next), and an empty list when it names something that cannot serve now (a disabled provider).
 */
function expand(expression: TargetExpression, context: Context, requested: string | undefined, depth: number): RouteTarget[] | undefined {
  if (depth > maxTargetDepth) return [];
  switch (expression.kind) {
    case 'alias':
    case 'alias-pattern':
      return expand(parseConfigured(expression.target, context), context, requested, depth + 1) ?? [];
    case 'combo':
      return expandCombo(context.combos.get(expression.name)!, context, requested, depth + 1);
    case 'provider': {
      const provider = context.providers.get(expression.providerId);
      if (!provider) return []; // named, but switched off
      const model = modelOf(expression.model, requested, provider, context);
      return model === undefined ? [] : [{ providerId: provider.id, model }];
    }
    case 'providers':
      return expandProviderPattern(expression.pattern, expression.model, context, requested);
    case 'unknown':
      return undefined;
  }
}

/** The model for one provider: with nothing requested (a combo called by name), `provider-id` and `provider-id/*` take its first model. */
function modelOf(choice: ModelChoice, requested: string | undefined, provider: ProviderConfig, context: Context): string | undefined {
  if (choice.kind === 'requested' && requested === undefined) return knownModels(provider, context)[0];
  return chooseModel(choice, requested);
}

/** `*​/model` (or `team-*​/model`): every enabled provider whose id matches and that serves the model, in config order. */
function expandProviderPattern(pattern: string, choice: ModelChoice, context: Context, requested: string | undefined): RouteTarget[] {
  const model = chooseModel(choice, requested);
  if (model === undefined) return [];
  const candidates = [...context.providers.values()].filter((provider) => matchPattern(pattern, provider.id) !== undefined);
  const listing = candidates.filter((provider) => knownModels(provider, context).includes(model));
  if (listing.length > 0) return listing.map((provider) => ({ providerId: provider.id, model }));
  const family = familyOf(model);
  return family ? candidates.filter((provider) => family.includes(provider.type)).map((provider) => ({ providerId: provider.id, model })) : [];
}

function entryName(entry: ComboTarget): string {
  return typeof entry === 'string' ? entry : entry.target;
}

function entryWeight(entry: ComboTarget): number {
  return typeof entry === 'string' ? 1 : (entry.weight ?? 1);
}

/** The combo's entries in the order its strategy gives for this request; the rest always stay as fallbacks. */
export function orderEntries(combo: ComboConfig, state: RouterState): ComboTarget[] {
  const entries = combo.targets;
  if (entries.length < 2 || combo.strategy === 'fallback') return entries;
  if (combo.strategy === 'round-robin') {
    const turn = state.nextTurn(combo.name, entries.length);
    return [...entries.slice(turn), ...entries.slice(0, turn)];
  }
  const total = entries.reduce((sum, entry) => sum + entryWeight(entry), 0);
  if (total <= 0) return entries;
  let draw = state.random() * total;
  let first = entries.length - 1;
  for (const [index, entry] of entries.entries()) {
    draw -= entryWeight(entry);
    if (draw < 0) {
      first = index;
      break;
    }
  }
  return [entries[first]!, ...entries.filter((_entry, index) => index !== first)];
}

function expandCombo(combo: ComboConfig, context: Context, requested: string | undefined, depth: number): RouteTarget[] {
  const targets: RouteTarget[] = [];
  const seen = new Set<string>();
  for (const entry of orderEntries(combo, context.state)) {
    const expanded = depth > maxTargetDepth ? [] : (expand(parseConfigured(entryName(entry), context), context, requested, depth + 1) ?? []);
    const keyIds = typeof entry === 'string' ? undefined : entry.keys;
    for (const target of expanded) {
      const withKeys: RouteTarget = { ...target, combos: [combo.name, ...(target.combos ?? [])] };
      if (keyIds) withKeys.keyIds = target.keyIds ? target.keyIds.filter((id) => keyIds.includes(id)) : keyIds;
      const identity = `${withKeys.providerId}\n${withKeys.model}\n${withKeys.keyIds?.join(',') ?? '*'}`;
      if (seen.has(identity)) continue;
      seen.add(identity);
      targets.push(withKeys);
    }
  }
  return targets;
}

function familyOf(model: string): ProviderType[] | undefined {
  if (/^claude-/i.test(model)) return ['anthropic'];
  if (/^(gpt-|o\d|chatgpt-|codex-)/i.test(model)) return ['openai'];
  if (/^(gemini-|gemma-)/i.test(model)) return ['gemini'];
  return undefined;
}

function unknownModel(model: string, config: SwitchyardConfig) {
  const providerIds = config.providers.filter((provider) => provider.enabled).map((provider) => provider.id);
  const comboNames = config.combos.map((combo) => combo.name);
  const aliasNames = Object.keys(config.aliases ?? {}).filter((name) => !hasWildcard(name));
  const hints = [
    providerIds.length > 0 ? `provider-id/model with a provider of ${providerIds.join(', ')}` : 'no provider is configured',
    comboNames.length > 0 ? `a combo (${comboNames.join(', ')})` : undefined,
    aliasNames.length > 0 ? `an alias (${aliasNames.slice(0, 10).join(', ')})` : undefined,
  ].filter(Boolean);
  return requestError('unknown_model', 404, `Unknown model "${model}". Use ${hints.join(', or ')}.`);
}
