// OpenAI Responses reports usage in `response.usage`: null while the response is created and in progress, the
// totals in response.completed, response.incomplete or response.failed. A complete answer has `usage` at the top.
import { createUsageReading } from '../token-usage/create-usage-reading.ts';
import { usageFromResponses } from './responses-vocabulary.ts';

export const openaiResponsesUsage = createUsageReading({
  key: 'usage',
  streamReports: 'last-wins',
  toCanonical: usageFromResponses,
  bodyUsage: (body) => body.usage,
});
