import type { SwitchyardConfig } from '../../../shared/config/config-schema.ts';
import type { ProviderConfig, ProviderType } from '../../../shared/config/provider-schema.ts';
import type { ComboConfig } from '../../../shared/config/routing-schema.ts';
import { requestError } from '../errors/proxy-error.ts';
import type { RouteTarget } from './route-target.ts';

/**
 * Model name -> ordered targets. A model is named
 *   `provider-id/model`  that provider, that model;
 *   a combo name         the combo's targets in order (nested combos expanded);
 *   a bare model name    the active combo, where a model-less target (`provider-id`) keeps the requested name;
 *                        with no active combo, the providers that list the model, else those whose kind serves
 *                        that model family (claude-… to Anthropic, gpt-… and o1… to OpenAI, gemini-… to Gemini).
 * Pure: the same config and name always give the same list.
 */
export function resolveTargets(config: SwitchyardConfig, requestedModel: string): RouteTarget[] {
  const model = requestedModel.startsWith('models/') ? requestedModel.slice('models/'.length) : requestedModel;
  const providers = new Map(config.providers.filter((provider) => provider.enabled).map((provider) => [provider.id, provider]));
  const combos = new Map(config.combos.map((combo) => [combo.name, combo]));

  const slash = model.indexOf('/');
  if (slash > 0) {
    const providerId = model.slice(0, slash);
    const provider = providers.get(providerId);
    if (provider) return [{ providerId, model: model.slice(slash + 1) }];
  }

  const combo = combos.get(model);
  if (combo) return expandCombo(combo, combos, providers, undefined, new Set());

  if (config.activeCombo) {
    const active = combos.get(config.activeCombo);
    if (active) return expandCombo(active, combos, providers, model, new Set());
  }

  const listing = [...providers.values()].filter((provider) => provider.models.includes(model));
  if (listing.length > 0) return listing.map((provider) => ({ providerId: provider.id, model }));

  const family = familyOf(model);
  const byFamily = family ? [...providers.values()].filter((provider) => family.includes(provider.type)) : [];
  if (byFamily.length > 0) return byFamily.map((provider) => ({ providerId: provider.id, model }));

  throw unknownModel(requestedModel, config);
}

function expandCombo(
  combo: ComboConfig,
  combos: Map<string, ComboConfig>,
  providers: Map<string, ProviderConfig>,
  requestedModel: string | undefined,
  visiting: Set<string>,
): RouteTarget[] {
  if (visiting.has(combo.name)) return []; // loops are refused at config load; this only guards against a bug
  visiting.add(combo.name);
  const targets: RouteTarget[] = [];
  for (const entry of combo.targets) {
    const name = typeof entry === 'string' ? entry : entry.target;
    const nested = combos.get(name);
    if (nested) {
      targets.push(...expandCombo(nested, combos, providers, requestedModel, visiting));
      continue;
    }
    const slash = name.indexOf('/');
    const providerId = slash === -1 ? name : name.slice(0, slash);
    const provider = providers.get(providerId);
    if (!provider) continue; // disabled provider
    const named = slash === -1 ? '*' : name.slice(slash + 1);
    const model = named === '*' ? (requestedModel ?? provider.models[0]) : named;
    if (model) targets.push({ providerId, model });
  }
  visiting.delete(combo.name);
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
  const hints = [
    providerIds.length > 0 ? `provider-id/model with a provider of ${providerIds.join(', ')}` : 'no provider is configured',
    comboNames.length > 0 ? `a combo (${comboNames.join(', ')})` : undefined,
  ].filter(Boolean);
  return requestError('unknown_model', 404, `Unknown model "${model}". Use ${hints.join(', or ')}.`);
}
