import type { SwitchyardConfig } from '../../../shared/config/config-schema.ts';

export interface ListedModel {
  id: string;
  ownedBy: string;
  kind: 'model' | 'combo';
}

/** Every name a client can put in its model field: `provider-id/model` for configured models, and the combos. */
export function listedModels(config: SwitchyardConfig): ListedModel[] {
  const models: ListedModel[] = [];
  for (const provider of config.providers) {
    if (!provider.enabled) continue;
    for (const model of provider.models) models.push({ id: `${provider.id}/${model}`, ownedBy: provider.id, kind: 'model' });
  }
  for (const combo of config.combos) models.push({ id: combo.name, ownedBy: 'switchyard', kind: 'combo' });
  return models;
}

const created = 1_700_000_000;

export function modelsResponse(config: SwitchyardConfig, shape: 'openai' | 'anthropic' | 'gemini'): string {
  const models = listedModels(config);
  if (shape === 'gemini') {
    return JSON.stringify({
      models: models.map((model) => ({
        name: `models/${model.id}`,
        displayName: model.kind === 'combo' ? `${model.id} (combo)` : model.id,
        supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
      })),
    });
  }
  if (shape === 'anthropic') {
    return JSON.stringify({
      data: models.map((model) => ({
        type: 'model',
        id: model.id,
        display_name: model.kind === 'combo' ? `${model.id} (combo)` : model.id,
        created_at: new Date(created * 1000).toISOString(),
      })),
      has_more: false,
      first_id: models[0]?.id ?? null,
      last_id: models.at(-1)?.id ?? null,
    });
  }
  return JSON.stringify({ object: 'list', data: models.map((model) => ({ id: model.id, object: 'model', created, owned_by: model.ownedBy })) });
}
