import type { ProviderPreset } from '../../../../shared/config/provider-schema.ts';

/**
 * Vendors that serve both an OpenAI-compatible and an Anthropic-compatible API (docs/providers.md "Presets", where
 * each URL is cited from the vendor's documentation). A preset fills what the user would otherwise look up:
 * base URL, how the key is sent, and models to list before the vendor's own list has been fetched.
 */
export interface CompatiblePreset {
  label: string;
  openaiBaseUrl: string;
  anthropicBaseUrl: string;
  /** How the Anthropic-compatible endpoint wants the key. */
  anthropicAuth: 'x-api-key' | 'bearer';
  models: readonly string[];
  /** The OpenAI-compatible API also serves POST /embeddings in OpenAI's shape (docs/providers.md "Presets"). */
  embeddings?: boolean;
  /** ... and POST /images/generations in OpenAI's shape. */
  imageGeneration?: boolean;
}

export const compatiblePresets: Record<ProviderPreset, CompatiblePreset> = {
  deepseek: {
    label: 'DeepSeek',
    openaiBaseUrl: 'https://api.deepseek.com',
    anthropicBaseUrl: 'https://api.deepseek.com/anthropic',
    anthropicAuth: 'x-api-key',
    models: ['deepseek-v4-flash', 'deepseek-v4-pro'],
  },
  glm: {
    label: 'GLM (Zhipu BigModel, mainland China)',
    openaiBaseUrl: 'https://open.bigmodel.cn/api/paas/v4',
    anthropicBaseUrl: 'https://open.bigmodel.cn/api/anthropic',
    anthropicAuth: 'bearer',
    models: ['glm-4.7', 'glm-4.6', 'glm-4.5-air'],
    // docs.bigmodel.cn: embedding-3 at /paas/v4/embeddings, cogview-4 at /paas/v4/images/generations.
    embeddings: true,
    imageGeneration: true,
  },
  'glm-intl': {
    label: 'GLM (Z.ai, international)',
    openaiBaseUrl: 'https://api.z.ai/api/paas/v4',
    anthropicBaseUrl: 'https://api.z.ai/api/anthropic',
    anthropicAuth: 'bearer',
    models: ['glm-4.7', 'glm-4.6', 'glm-4.5-air'],
    // docs.z.ai: cogview-4 at /paas/v4/images/generations (no embeddings endpoint is documented there).
    imageGeneration: true,
  },
  kimi: {
    label: 'Kimi (Moonshot AI, international)',
    openaiBaseUrl: 'https://api.moonshot.ai/v1',
    anthropicBaseUrl: 'https://api.moonshot.ai/anthropic',
    anthropicAuth: 'bearer',
    models: ['kimi-k2.6', 'kimi-k2.5'],
  },
  'kimi-cn': {
    label: 'Kimi (Moonshot AI, mainland China)',
    openaiBaseUrl: 'https://api.moonshot.cn/v1',
    anthropicBaseUrl: 'https://api.moonshot.cn/anthropic',
    anthropicAuth: 'bearer',
    models: ['kimi-k2.6', 'kimi-k2.5'],
  },
  minimax: {
    label: 'MiniMax (international)',
    openaiBaseUrl: 'https://api.minimax.io/v1',
    anthropicBaseUrl: 'https://api.minimax.io/anthropic',
    anthropicAuth: 'bearer',
    models: ['MiniMax-M2.7', 'MiniMax-M2.5'],
  },
  'minimax-cn': {
    label: 'MiniMax (mainland China)',
    openaiBaseUrl: 'https://api.minimaxi.com/v1',
    anthropicBaseUrl: 'https://api.minimaxi.com/anthropic',
    anthropicAuth: 'bearer',
    models: ['MiniMax-M2.7', 'MiniMax-M2.5'],
  },
};
