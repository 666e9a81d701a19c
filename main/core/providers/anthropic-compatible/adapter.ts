import type { ProviderConfig } from '../../../../shared/config/provider-schema.ts';
import { createAnthropicStyleAdapter } from '../common/anthropic-style.ts';
import { compatiblePresets } from '../common/compatible-presets.ts';
import type { ProviderAdapter } from '../provider-adapter.ts';

// Any host speaking the Anthropic Messages API (DeepSeek, GLM, Kimi and MiniMax all offer one; see the presets).
// Without a preset or baseUrl it points at Anthropic itself, which is rarely what is meant: set one of them.
const plain = createAnthropicStyleAdapter({ type: 'anthropic-compatible', defaultBaseUrl: 'https://api.anthropic.com' });

export const anthropicCompatibleAdapter: ProviderAdapter = {
  ...plain,
  withSettings(settings: ProviderConfig): ProviderAdapter {
    const preset = settings.preset ? compatiblePresets[settings.preset] : undefined;
    if (!preset && !settings.auth) return plain;
    return createAnthropicStyleAdapter({
      type: 'anthropic-compatible',
      defaultBaseUrl: preset?.anthropicBaseUrl ?? plain.defaultBaseUrl,
      auth: settings.auth ?? preset?.anthropicAuth,
      defaultModels: preset?.models,
    });
  },
};
