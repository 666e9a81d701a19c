import { createOpenaiStyleAdapter } from '../common/openai-style.ts';

// OpenAI itself serves both Chat Completions and Responses, so clients of either are passed through unchanged.
export const openaiAdapter = createOpenaiStyleAdapter({
  type: 'openai',
  defaultBaseUrl: 'https://api.openai.com/v1',
  nativeFormats: ['openai-chat', 'openai-responses'],
});
