import type { SwitchyardConfig } from '../../../shared/config/config-schema.ts';
import type { CatalogEntry } from '../router/model-catalog.ts';
import { providerAdapter } from '../providers/index.ts';
import { configuredAdapter } from '../providers/provider-adapter.ts';
import type { ModelKind } from '../providers/common/model-kind.ts';
import { modelKindOf } from '../providers/common/model-kind.ts';

export interface ListedModel {
  id: string;
  ownedBy: string;
  kind: 'model' | 'combo' | 'alias';
  /** For provider models: what the model is for (embedding and image models are marked in every list shape). */
  serves?: ModelKind;
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
    const base = providerAdapter(provider.type);
    const adapter = base ? configuredAdapter(base, provider) : undefined;
    for (const model of known) models.push({ id: `${provider.id}/${model}`, ownedBy: provider.id, kind: 'model', serves: adapter ? modelKindOf(adapter, model) : 'chat' });
  }
  for (const combo of config.combos) models.push({ id: combo.name, ownedBy: 'switchyard', kind: 'combo' });
  for (const alias of Object.keys(config.aliases ?? {})) {
    if (!alias.includes('*')) models.push({ id: alias, ownedBy: 'switchyard', kind: 'alias' });
  }
  return models;
}

const created = 1_700_000_000;

/** The Gemini methods of each kind of model, as Gemini's own list names them. */
const geminiMethods: Record<ModelKind, string[]> = {
  chat: ['generateContent', 'streamGenerateContent', 'countTokens'],
  image: ['generateContent', 'streamGenerateContent', 'countTokens'],
  embedding: ['embedContent', 'batchEmbedContents'],
};

/** `"kind": "embedding" | "image"` on those models only: every other entry stays exactly as it was. */
function kindField(model: ListedModel): { kind?: 'embedding' | 'image' } {
  return model.serves === 'embedding' || model.serves === 'image' ? { kind: model.serves } : {};
}

export function modelsResponse(config: SwitchyardConfig, shape: 'openai' | 'anthropic' | 'gemini', catalog?: readonly CatalogEntry[]): string {
  const models = listedModels(config, catalog);
  if (shape === 'gemini') {
    return JSON.stringify({
      models: models.map((model) => ({
        name: `models/${model.id}`,
        displayName: model.kind === 'model' ? model.id : `${model.id} (${model.kind})`,
        supportedGenerationMethods: geminiMethods[model.serves ?? 'chat'],
        ...kindField(model),
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
        ...kindField(model),
      })),
      has_more: false,
      first_id: models[0]?.id ?? null,
      last_id: models.at(-1)?.id ?? null,
    });
  }
  return JSON.stringify({ object: 'list', data: models.map((model) => ({ id: model.id, object: 'model', created, owned_by: model.ownedBy, ...kindField(model) })) });
}
