// What the scenario rules and count_tokens read from a Gemini request: `generationConfig.thinkingConfig`
// (a non-zero budget, included thoughts or a level), the `googleSearch` tools, and the request a countTokens body
// wraps in `generateContentRequest` (https://ai.google.dev/api/tokens#method:-models.counttokens).
import { isRecord } from '../canonical/json-values.ts';

export function geminiAsksForThinking(body: Record<string, unknown>): boolean {
  const generation = body.generationConfig;
  const thinking = isRecord(generation) ? generation.thinkingConfig : undefined;
  if (!isRecord(thinking)) return false;
  if (typeof thinking.thinkingBudget === 'number') return thinking.thinkingBudget !== 0;
  return thinking.includeThoughts === true || typeof thinking.thinkingLevel === 'string';
}

export function geminiCarriesWebSearch(body: Record<string, unknown>): boolean {
  return Array.isArray(body.tools) && body.tools.some((tool) => isRecord(tool) && (isRecord(tool.googleSearch) || isRecord(tool.googleSearchRetrieval)));
}

export function geminiTokenCountRequest(body: Record<string, unknown>): Record<string, unknown> {
  return isRecord(body.generateContentRequest) ? body.generateContentRequest : body;
}
