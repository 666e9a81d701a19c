import { createAnthropicStyleAdapter } from '../common/anthropic-style.ts';

export const anthropicAdapter = createAnthropicStyleAdapter({ type: 'anthropic', defaultBaseUrl: 'https://api.anthropic.com' });
