import { createAnthropicStyleAdapter } from '../common/anthropic-style.ts';

// Any host speaking the Anthropic Messages API. It has no sensible default host: set baseUrl.
export const anthropicCompatibleAdapter = createAnthropicStyleAdapter({
  type: 'anthropic-compatible',
  defaultBaseUrl: 'https://api.anthropic.com',
});
