import type { ProviderConfig } from '../../../../shared/config/provider-schema.ts';
import { compatiblePresets } from '../common/compatible-presets.ts';
import { createOpenaiStyleAdapter } from '../common/openai-style.ts';
import type { ProviderAdapter } from '../provider-adapter.ts';

// Any host speaking OpenAI Chat Completions (most third-party APIs, vLLM, LM Studio, llama.cpp). Responses is not
// assumed. A preset (DeepSeek, GLM, Kimi, MiniMax) fills the base URL and default models.
const plain = createOpenaiStyleAdapter({
  type: 'openai-compatible',
  defaultBaseUrl: 'https://api.openai.com/v1',
  nativeFormats: ['openai-chat'],
  // A host of unknown kind may serve /embeddings and /images/generations (vLLM, LM Studio, llama.cpp and LocalAI
  // do); when it does not, its 404 names the endpoint and a combo moves on.
  embeddings: true,
  imageGeneration: true,
});

export const openaiCompatibleAdapter: ProviderAdapter = {
  ...plain,
  withSettings(settings: ProviderConfig): ProviderAdapter {
    const preset = settings.preset ? compatiblePresets[settings.preset] : undefined;
    // A host that speaks the Responses API instead of Chat (`openaiApi: "responses"`, e.g. a Codex-style backend):
    // every other client, Chat clients included, is translated to Responses.
    const nativeFormats = settings.openaiApi === 'responses' ? (['openai-responses'] as const) : (['openai-chat'] as const);
    if (!preset && settings.openaiApi !== 'responses') return plain;
    return createOpenaiStyleAdapter({
      type: 'openai-compatible',
      defaultBaseUrl: preset?.openaiBaseUrl ?? plain.defaultBaseUrl,
      nativeFormats,
      ...(preset ? { defaultModels: preset.models } : {}),
      embeddings: preset ? preset.embeddings === true : true,
      imageGeneration: preset ? preset.imageGeneration === true : true,
    });
  },
};
