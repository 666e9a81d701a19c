import type { ProviderConfig } from '../../../../shared/config/provider-schema.ts';
import { createOpenaiStyleAdapter } from '../common/openai-style.ts';
import type { ProviderAdapter } from '../provider-adapter.ts';

// OpenRouter (docs/wire-formats.md, OpenRouter): OpenAI Chat Completions at https://openrouter.ai/api/v1, Authorization: Bearer.
// Models are named vendor/model ("anthropic/claude-sonnet-4.5"), so a Switchyard name reads
// "openrouter/anthropic/claude-sonnet-4.5". Errors use OpenAI's shape with a numeric `code`; 402 means out of
// credits. Optional app attribution headers: HTTP-Referer, X-OpenRouter-Title (older X-Title), X-OpenRouter-Categories
// (openrouter.ai/docs/features/app-attribution). Embeddings: POST /api/v1/embeddings in OpenAI's shape
// (openrouter.ai/docs/api-reference/embeddings); images come from chat models there, not /images/generations.

const defaultBaseUrl = 'https://openrouter.ai/api/v1';
const rateLimitHeaders = ['x-ratelimit-{limit,remaining,reset}', 'retry-after'] as const;

const plain = createOpenaiStyleAdapter({ type: 'openrouter', defaultBaseUrl, nativeFormats: ['openai-chat'], rateLimitHeaders, embeddings: true });

export function attributionHeaders(attribution: ProviderConfig['attribution']): Record<string, string> {
  const headers: Record<string, string> = {};
  if (attribution?.url) headers['http-referer'] = attribution.url;
  if (attribution?.title) {
    headers['x-openrouter-title'] = attribution.title;
    headers['x-title'] = attribution.title;
  }
  if (attribution?.categories && attribution.categories.length > 0) headers['x-openrouter-categories'] = attribution.categories.join(',');
  return headers;
}

export const openrouterAdapter: ProviderAdapter = {
  ...plain,
  withSettings(settings: ProviderConfig): ProviderAdapter {
    const extraHeaders = attributionHeaders(settings.attribution);
    if (Object.keys(extraHeaders).length === 0) return plain;
    return createOpenaiStyleAdapter({ type: 'openrouter', defaultBaseUrl, nativeFormats: ['openai-chat'], rateLimitHeaders, extraHeaders, embeddings: true });
  },
};
