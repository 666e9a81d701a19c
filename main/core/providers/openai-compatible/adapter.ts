import { createOpenaiStyleAdapter } from '../common/openai-style.ts';

// Any host speaking OpenAI Chat Completions (most third-party APIs). Responses is not assumed.
export const openaiCompatibleAdapter = createOpenaiStyleAdapter({
  type: 'openai-compatible',
  defaultBaseUrl: 'https://api.openai.com/v1',
  nativeFormats: ['openai-chat'],
});
