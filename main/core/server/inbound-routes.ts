import type { WireFormat } from '../../../shared/wire-format.ts';
import type { ModelOperation } from '../pipeline/model-request.ts';

export type InboundRoute =
  | { kind: 'model'; format: WireFormat; operation: ModelOperation; pathModel?: string; pathStream?: boolean; singleContent?: boolean }
  | { kind: 'list-models'; shape: 'openai' | 'anthropic' | 'gemini' }
  | { kind: 'health' }
  | { kind: 'management'; path: string }
  | { kind: 'static'; path: string }
  | { kind: 'not-found'; format: WireFormat }
  | { kind: 'method-not-allowed'; format: WireFormat; allow: string };

// The model-serving routes. Each also answers without the /v1 prefix, for clients configured with a bare base URL.
// Embeddings and images are OpenAI APIs: their errors take OpenAI's shape, hence the openai-chat format.
const postRoutes: Record<string, { format: WireFormat; operation: ModelOperation }> = {
  '/v1/chat/completions': { format: 'openai-chat', operation: 'generate' },
  '/chat/completions': { format: 'openai-chat', operation: 'generate' },
  '/v1/responses': { format: 'openai-responses', operation: 'generate' },
  '/responses': { format: 'openai-responses', operation: 'generate' },
  '/v1/messages': { format: 'anthropic', operation: 'generate' },
  '/messages': { format: 'anthropic', operation: 'generate' },
  '/v1/messages/count_tokens': { format: 'anthropic', operation: 'countTokens' },
  '/messages/count_tokens': { format: 'anthropic', operation: 'countTokens' },
  '/v1/embeddings': { format: 'openai-chat', operation: 'embed' },
  '/embeddings': { format: 'openai-chat', operation: 'embed' },
  '/v1/images/generations': { format: 'openai-chat', operation: 'generateImage' },
  '/images/generations': { format: 'openai-chat', operation: 'generateImage' },
};

const geminiOperations: Record<string, ModelOperation> = {
  generateContent: 'generate',
  streamGenerateContent: 'generate',
  countTokens: 'countTokens',
  embedContent: 'embed',
  batchEmbedContents: 'embed',
};

// Gemini: /v1beta/models/{model}:{method} (also /v1/ and /v1alpha/). Model names may hold slashes (provider-id/model).
const geminiPattern = /^\/v1(?:beta|alpha)?\/models\/(.+):(generateContent|streamGenerateContent|countTokens|embedContent|batchEmbedContents)$/;

/** Which API a path belongs to, for errors on paths we do not serve. */
export function formatForPath(pathname: string): WireFormat {
  if (pathname.includes('/messages')) return 'anthropic';
  if (pathname.startsWith('/v1beta') || pathname.startsWith('/v1alpha') || pathname.includes(':generateContent') || pathname.includes('EmbedContent') || pathname.includes(':embedContent')) return 'gemini';
  if (pathname.includes('/responses')) return 'openai-responses';
  return 'openai-chat';
}

/**
 * `geminiClient`: the request carries Google's client headers (x-goog-api-key / x-goog-api-client). The
 * @google/genai SDK lists models at GET /v1/models under a custom base URL, and must get Gemini's list shape there.
 */
export function matchRoute(method: string, pathname: string, anthropicVersionHeader: boolean, geminiClient = false): InboundRoute {
  if (pathname.startsWith('/api/')) return { kind: 'management', path: pathname };
  const post = postRoutes[pathname];
  if (post) return method === 'POST' ? { kind: 'model', ...post } : { kind: 'method-not-allowed', format: post.format, allow: 'POST' };

  const gemini = geminiPattern.exec(pathname);
  if (gemini) {
    if (method !== 'POST') return { kind: 'method-not-allowed', format: 'gemini', allow: 'POST' };
    const rpc = gemini[2]!;
    let model: string;
    try {
      model = decodeURIComponent(gemini[1]!);
    } catch {
      model = gemini[1]!;
    }
    return {
      kind: 'model',
      format: 'gemini',
      operation: geminiOperations[rpc]!,
      pathModel: model,
      pathStream: rpc === 'streamGenerateContent',
      ...(rpc === 'embedContent' ? { singleContent: true } : {}),
    };
  }

  if (pathname === '/health' || pathname === '/healthz') {
    return method === 'GET' || method === 'HEAD' ? { kind: 'health' } : { kind: 'method-not-allowed', format: 'openai-chat', allow: 'GET' };
  }
  if (pathname === '/v1/models' || pathname === '/models') {
    if (method !== 'GET') return { kind: 'method-not-allowed', format: 'openai-chat', allow: 'GET' };
    return { kind: 'list-models', shape: anthropicVersionHeader ? 'anthropic' : geminiClient ? 'gemini' : 'openai' };
  }
  if (pathname === '/v1beta/models' || pathname === '/v1alpha/models') {
    if (method !== 'GET') return { kind: 'method-not-allowed', format: 'gemini', allow: 'GET' };
    return { kind: 'list-models', shape: 'gemini' };
  }
  if (method === 'GET' && (pathname === '/' || pathname.startsWith('/ui/') || pathname === '/ui')) return { kind: 'static', path: pathname };
  return { kind: 'not-found', format: formatForPath(pathname) };
}
