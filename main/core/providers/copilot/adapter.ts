import { createOpenaiStyleAdapter } from '../common/openai-style.ts';
import type { PreparedRequest, ProviderAdapter, UpstreamCall } from '../provider-adapter.ts';
import { copilotApiHeaders } from './copilot-headers.ts';
import { upstreamHeaders } from '../common/upstream-headers.ts';

// GitHub Copilot (docs/accounts.md): OpenAI Chat Completions at the `endpoints.api` origin the Copilot token
// exchange named for the account (api.githubcopilot.com for individual plans), with the editor's headers. The
// credential is the account's short-lived Copilot token, never a key from the config.
const chat = createOpenaiStyleAdapter({
  type: 'copilot',
  defaultBaseUrl: 'https://api.githubcopilot.com',
  nativeFormats: ['openai-chat'],
  rateLimitHeaders: ['retry-after', 'x-ratelimit-{limit,remaining,reset}-{requests,tokens}'],
  defaultModels: ['gpt-4.1', 'gpt-5-mini', 'claude-sonnet-4.5', 'gemini-2.5-pro'],
});

interface ChatMessage {
  role?: unknown;
  content?: unknown;
}

/**
 * `X-Initiator: agent` when the conversation already holds an assistant or tool turn (a tool loop continuing),
 * `user` for a person's fresh question: Copilot bills premium requests by it. `copilot-vision-request` when an
 * image is in the messages.
 */
export function copilotBodyHeaders(body: Buffer | undefined): Record<string, string> {
  let messages: ChatMessage[] = [];
  try {
    const parsed = body ? (JSON.parse(body.toString('utf8')) as { messages?: unknown }) : undefined;
    if (Array.isArray(parsed?.messages)) messages = parsed.messages as ChatMessage[];
  } catch {
    // An unreadable body is refused upstream; the header does not matter then.
  }
  const agent = messages.some((message) => message.role === 'assistant' || message.role === 'tool');
  const vision = messages.some((message) => Array.isArray(message.content) && message.content.some((part: { type?: unknown }) => part?.type === 'image_url'));
  return { 'x-initiator': agent ? 'agent' : 'user', ...(vision ? { 'copilot-vision-request': 'true' } : {}) };
}

function withoutAuth(headers: Record<string, string>): Record<string, string> {
  const { authorization: _authorization, ...rest } = headers;
  return rest;
}

export const copilotAdapter: ProviderAdapter = {
  ...chat,
  prepare(call: UpstreamCall): PreparedRequest {
    return {
      path: `${call.endpoint.basePath}/chat/completions`,
      headers: upstreamHeaders({
        defaults: { 'content-type': 'application/json', ...withoutAuth(copilotApiHeaders(call.credential)), ...copilotBodyHeaders(call.body), ...(call.stream ? { accept: 'text/event-stream' } : {}) },
        configured: call.configHeaders,
        auth: { authorization: `Bearer ${call.credential}` },
      }),
    };
  },
  listModels(call) {
    return {
      path: `${call.endpoint.basePath}/models`,
      headers: upstreamHeaders({ defaults: { accept: 'application/json', ...withoutAuth(copilotApiHeaders(call.credential)) }, configured: call.configHeaders, auth: { authorization: `Bearer ${call.credential}` } }),
    };
  },
};
