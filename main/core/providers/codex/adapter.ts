import { randomUUID } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { classifyOpenaiError } from '../common/openai-style.ts';
import { parseEndpoint } from '../provider-adapter.ts';
import type { PreparedRequest, ProviderAdapter, UpstreamCall, WireCodec } from '../provider-adapter.ts';
import { codexErrorInStream, collectCodexStream, toCodexBody } from './codex-body.ts';
import { upstreamHeaders } from '../common/upstream-headers.ts';
import { openaiResponsesUsage } from '../../formats/openai-responses/read-usage.ts';

// ChatGPT (Codex) accounts (docs/accounts.md): OpenAI Responses at https://chatgpt.com/backend-api/codex/responses,
// streamed always, as the Codex CLI sends it when signed in with ChatGPT (openai/codex model-provider-info). Clients
// of other formats are translated to Responses; a non-streaming client gets the stream collected into one answer.
export const codexVersion = '0.50.0';

const codexWire: WireCodec = {
  encodeRequest: (body) => toCodexBody(body),
  decodeResponse: (body) => collectCodexStream(body),
  createStreamDecoder() {
    const decoder = new StringDecoder('utf8');
    return { push: (chunk) => decoder.write(chunk), end: () => decoder.end() };
  },
  usage: openaiResponsesUsage,
  answersAreStreams: true,
};

interface CodexModelList {
  data?: Array<{ id?: unknown }>;
  models?: Array<{ slug?: unknown; id?: unknown }>;
}

export const codexAdapter: ProviderAdapter = {
  type: 'codex',
  defaultBaseUrl: 'https://chatgpt.com/backend-api/codex',
  nativeFormats: ['openai-responses'],
  countTokensFormats: [],
  rateLimitHeaders: ['x-codex-{primary,secondary}-{used-percent,window-minutes,reset-at,reset-after-seconds}', 'retry-after'],
  defaultModels: ['gpt-5-codex', 'gpt-5', 'gpt-5.1-codex', 'gpt-5.1-codex-mini'],
  wire: codexWire,
  endpoint: parseEndpoint,
  prepare(call: UpstreamCall): PreparedRequest {
    return {
      path: `${call.endpoint.basePath}/responses`,
      headers: upstreamHeaders({
        defaults: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          originator: 'codex_cli_rs',
          'user-agent': `codex_cli_rs/${codexVersion} (${process.platform}; ${process.arch}) switchyard`,
          version: codexVersion,
          session_id: randomUUID(),
        },
        configured: call.configHeaders,
        auth: { authorization: `Bearer ${call.credential}` },
      }),
    };
  },
  classifyError: classifyOpenaiError,
  errorInAnswer: codexErrorInStream,
  listModels(call) {
    return {
      path: `${call.endpoint.basePath}/models?client_version=${codexVersion}`,
      headers: upstreamHeaders({ defaults: { accept: 'application/json', originator: 'codex_cli_rs' }, configured: call.configHeaders, auth: { authorization: `Bearer ${call.credential}` } }),
    };
  },
  parseModelList(body) {
    const parsed = JSON.parse(body) as CodexModelList;
    const ids = [...(parsed.data ?? []).map((model) => model.id), ...(parsed.models ?? []).map((model) => model.slug ?? model.id)];
    return ids.filter((id): id is string => typeof id === 'string');
  },
};
