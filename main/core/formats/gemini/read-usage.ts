// Gemini puts `usageMetadata` on answers and on stream chunks; in a stream each chunk's figures are running totals,
// so the last chunk's are the answer's.
import { createUsageReading } from '../token-usage/create-usage-reading.ts';
import { usageFromGemini } from './gemini-vocabulary.ts';

export const geminiUsage = createUsageReading({
  key: 'usageMetadata',
  streamReports: 'last-wins',
  toCanonical: usageFromGemini,
  bodyUsage: (body) => body.usageMetadata,
});
