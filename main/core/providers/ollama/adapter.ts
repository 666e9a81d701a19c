import type { ProviderConfig } from '../../../../shared/config/provider-schema.ts';
import { parseJsonQuietly } from '../../formats/canonical/json-values.ts';
import { classifyHttpError } from '../common/classify-http-error.ts';
import { parseModelNames } from '../common/model-list.ts';
import { classifyOpenaiError, createOpenaiStyleAdapter } from '../common/openai-style.ts';
import { upstreamHeaders } from '../common/upstream-headers.ts';
import { userAgent } from '../common/user-agent.ts';
import type { ErrorContext, ModelListCall, PreparedRequest, ProviderAdapter, ProviderEndpoint, UpstreamCall, UpstreamErrorResponse, WireCodec } from '../provider-adapter.ts';
import { parseEndpoint } from '../provider-adapter.ts';
import { toNativeChatRequest } from './native-request.ts';
import { toChatCompletion } from './native-response.ts';
import { createNdjsonToChatStream } from './native-stream.ts';
import { ollamaNativeUsage } from './read-usage.ts';

// Ollama, local (docs/wire-formats.md, Ollama). The base URL is the server root (default http://localhost:11434; a trailing /v1
// is accepted). Two APIs:
//   api "openai" (default): OpenAI Chat Completions at /v1/chat/completions, passed through byte for byte;
//   api "native": POST /api/chat with NDJSON streaming. To the pipeline the provider still speaks OpenAI Chat: the
//     WireCodec below converts the body on the way out and the answer / NDJSON stream on the way back.
// No key is needed; clients' SDKs want one and Ollama ignores it, so none is sent. Models: GET /api/tags.
// Embeddings: POST /v1/embeddings in OpenAI's shape in both modes (docs.ollama.com/api/openai-compatibility).

const defaultBaseUrl = 'http://localhost:11434';

function endpoint(baseUrl: string): ProviderEndpoint {
  const parsed = parseEndpoint(baseUrl);
  return { ...parsed, basePath: parsed.basePath.replace(/\/(v1|api)$/, '') };
}

/** Native errors are `{"error": "text"}`; the /v1 API answers in OpenAI's shape. */
export function classifyOllamaError(response: UpstreamErrorResponse, context: ErrorContext) {
  const parsed = parseJsonQuietly(response.body) as { error?: unknown } | undefined;
  if (typeof parsed?.error === 'string') return classifyHttpError(response, context, { message: parsed.error });
  return classifyOpenaiError(response, context);
}

const listModels = (call: ModelListCall): PreparedRequest => ({
  path: `${call.endpoint.basePath}/api/tags`,
  headers: upstreamHeaders({ defaults: { accept: 'application/json', 'user-agent': userAgent }, configured: call.configHeaders, auth: {} }),
});

function openaiMode(): ProviderAdapter {
  const base = createOpenaiStyleAdapter({ type: 'ollama', defaultBaseUrl, nativeFormats: ['openai-chat'], requiresKey: false, rateLimitHeaders: [], embeddings: true });
  return {
    ...base,
    endpoint,
    prepare: (call) => base.prepare({ ...call, endpoint: { ...call.endpoint, basePath: `${call.endpoint.basePath}/v1` } }),
    classifyError: classifyOllamaError,
    listModels,
    parseModelList: (body) => parseModelNames(body),
  };
}

function nativeMode(settings: ProviderConfig['ollama']): ProviderAdapter {
  const wire: WireCodec = {
    encodeRequest(body, options) {
      const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      return Buffer.from(JSON.stringify(toNativeChatRequest(parsed, { ...options, numCtx: settings?.numCtx, keepAlive: settings?.keepAlive })));
    },
    decodeResponse: (body) => Buffer.from(JSON.stringify(toChatCompletion(JSON.parse(body.toString('utf8')) as Record<string, unknown>))),
    createStreamDecoder: (options) => createNdjsonToChatStream(options),
    usage: ollamaNativeUsage,
  };
  return {
    type: 'ollama',
    defaultBaseUrl,
    nativeFormats: ['openai-chat'],
    countTokensFormats: [],
    rateLimitHeaders: [],
    requiresKey: false,
    embeddings: 'openai',
    wire,
    endpoint,
    prepare(call: UpstreamCall): PreparedRequest {
      return {
        path: call.operation === 'embed' ? `${call.endpoint.basePath}/v1/embeddings` : `${call.endpoint.basePath}/api/chat`,
        headers: upstreamHeaders({ defaults: { 'content-type': 'application/json', 'user-agent': userAgent }, configured: call.configHeaders, auth: {} }),
      };
    },
    classifyError: classifyOllamaError,
    listModels,
    parseModelList: (body) => parseModelNames(body),
  };
}

const defaultMode = openaiMode();

export const ollamaAdapter: ProviderAdapter = {
  ...defaultMode,
  withSettings: (settings) => (settings.ollama?.api === 'native' ? nativeMode(settings.ollama) : defaultMode),
};
