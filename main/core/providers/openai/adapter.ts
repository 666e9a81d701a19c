import type { ProviderConfig } from '../../../../shared/config/provider-schema.ts';
import { createOpenaiStyleAdapter } from '../common/openai-style.ts';
import type { ProviderAdapter } from '../provider-adapter.ts';

// OpenAI itself serves both Chat Completions and Responses, so clients of either are passed through unchanged.
// Clients of other formats are translated to Chat, or to Responses when the provider sets `openaiApi: "responses"`.
// It also serves POST /embeddings and POST /images/generations (platform.openai.com/docs/api-reference).
const chatFirst = createOpenaiStyleAdapter({
  type: 'openai',
  defaultBaseUrl: 'https://api.openai.com/v1',
  nativeFormats: ['openai-chat', 'openai-responses'],
  embeddings: true,
  imageGeneration: true,
});

const responsesFirst = createOpenaiStyleAdapter({
  type: 'openai',
  defaultBaseUrl: 'https://api.openai.com/v1',
  nativeFormats: ['openai-responses', 'openai-chat'],
  embeddings: true,
  imageGeneration: true,
});

export const openaiAdapter: ProviderAdapter = {
  ...chatFirst,
  withSettings: (settings: ProviderConfig) => (settings.openaiApi === 'responses' ? responsesFirst : chatFirst),
};
