// Anthropic reports usage in `message_start` (message.usage: input and cache tokens, a first output count) and in
// `message_delta` (usage: the cumulative output, sometimes repeated input fields); a complete answer has `usage`.
// Until a second report arrives the output count is message_start's placeholder (a stream cut before message_delta).
import { createUsageReading } from '../token-usage/create-usage-reading.ts';
import { usageFromAnthropic } from './anthropic-vocabulary.ts';

export const anthropicUsage = createUsageReading({
  key: 'usage',
  streamReports: 'cumulative-fields',
  toCanonical: usageFromAnthropic,
  bodyUsage: (body) => body.usage,
  firstOutputIsPlaceholder: true,
});
