import type { SwitchyardConfig } from '../../../shared/config/config-schema.ts';
import type { CatalogEntry } from '../router/model-catalog.ts';

export interface ListedModel {
  id: string;
  ownedBy: string;
  kind: 'model' | 'combo' | 'alias';
}

/**
 * Every name a client can put in its model field: `provider-id/model` for each provider's models (configured, or
 * as the provider listed them when `catalog` is given), then the combos.
 */
export function listedModels(config: SwitchyardConfig, catalog?: readonly CatalogEntry[]): ListedModel[] {
  const models: ListedModel[] = [];
  for (const provider of config.providers) {
    if (!provider.enabled) continue;
    const known = catalog?.find((entry) => entry.providerId === provider.id)?.models ?? provider.models;
    for (const model of known) models.push({ id: `${provider.id}/${model}`, ownedBy: provider.id, kind: 'model' });
  }
  for (const combo of config.combos) models.push({ id: combo.name, ownedBy: 'switchyard', kind: 'combo' });
  for (const alias of Object.keys(config.aliases ?? {})) {
    if (!alias.includes('*')) models.push({ id: alias, ownedBy: 'switchyard', kind: 'alias' });
  }
  return models;
}

const created = 1_700_000_000;

export function modelsResponse(config: SwitchyardConfig, shape: 'openai' | 'anthropic' | 'gemini', catalog?: readonly CatalogEntry[]): string {
  const models = listedModels(config, catalog);
  if (shape === 'gemini') {
    return JSON.stringify({
      models: models.map((model) => ({
        name: `models/${model.id}`,
        displayName: model.kind === 'model' ? model.id : `${model.id} (${model.kind})`,
        supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
      })),
    });
  }
  if (shape === 'anthropic') {
    return JSON.stringify({
      data: models.map((model) => ({
        type: 'model',
        id: model.id,
        display_name: model.kind === 'model' ? model.id : `${model.id} (${model.kind})`,
        created_at: new Date(created * 1000).toISOString(),
      })),
      has_more: false,
      first_id: models[0]?.id ?? null,
      last_id: models.at(-1)?.id ?? null,
    });
  }
  return JSON.stringify({ object: 'list', data: models.map((model) => ({ id: model.id, object: 'model', created, owned_by: model.ownedBy })) });
}
