import type { ProviderAdapter } from '../provider-adapter.ts';

// What a listed model is for, so GET /v1/models can mark embedding and image models (docs/clients.md "Model lists").
// Vendors' lists do not say it in one common way, so it is read from the names their docs use: OpenAI
// text-embedding-3-*, gpt-image-*, dall-e-*; Gemini gemini-embedding-*, text-embedding-*, *-image(-preview),
// imagen-*; Ollama nomic-embed-text, mxbai-embed-large; GLM embedding-3, cogview-*. A name only counts for a provider
// whose adapter serves that operation: an Anthropic provider never lists an embedding model.

export type ModelKind = 'chat' | 'embedding' | 'image';

const embeddingName = /embed/i;
const imageName = /(^|[-_/.])(gpt-image|dall-e|imagen|cogview)|[-_]image($|[-_])/i;

export function modelKindOf(adapter: Pick<ProviderAdapter, 'embeddings' | 'imageGeneration'>, model: string): ModelKind {
  if (adapter.embeddings && embeddingName.test(model)) return 'embedding';
  if (adapter.imageGeneration && imageName.test(model)) return 'image';
  return 'chat';
}
