// OpenAI Chat reports usage in a complete answer's `usage`, and in a stream only when `stream_options.include_usage`
// was set: a last chunk with `choices: []` and the totals (earlier chunks carry `"usage": null`).
import { createUsageReading } from '../token-usage/create-usage-reading.ts';
import { usageFromChat } from './chat-vocabulary.ts';

export const openaiChatUsage = createUsageReading({
  key: 'usage',
  streamReports: 'last-wins',
  toCanonical: usageFromChat,
  bodyUsage: (body) => body.usage,
});
