// The benchmark's scenarios (shared by run-bench.ts and cpu-bench.ts): for each, the request the provider speaks
// (sent to it directly and through the bare proxy) and the request a client sends Switchyard for the same answer.
// Model prefixes pick the bench engine's providers (bench-engine.ts): claude/ Anthropic, oai/ OpenAI-compatible,
// gem/ Gemini.
import type { WireFormat } from '../../shared/wire-format.ts';

export const clientKey = 'sy-bench-client-key-000000000000';

const prompt = 'Write fifty words, one per chunk.';
const anthropicBody = (model: string, stream: boolean) => ({ model, max_tokens: 256, stream, messages: [{ role: 'user', content: prompt }] });
const chatBody = (model: string, stream: boolean) => ({
  model,
  stream,
  ...(stream ? { stream_options: { include_usage: true } } : {}),
  messages: [{ role: 'user', content: prompt }],
});
const geminiBody = { contents: [{ role: 'user', parts: [{ text: prompt }] }], generationConfig: { maxOutputTokens: 256 } };

/** One request as the load generator sends it: path, headers, body. */
export type Leg = readonly [path: string, headers: Record<string, string>, body: unknown];

export interface Scenario {
  /** Short name for command lines (cpu-bench --scenario). */
  id: string;
  name: string;
  reference: Leg;
  switchyard: Leg;
  /** Served by an engine that records every request in a usage ledger (as `serve` does); the others record nothing. */
  usage?: true;
  /** For a translated scenario, the upstream's format and the client's (cpu-bench.ts --translating uses them). */
  translation?: `${WireFormat}>${WireFormat}`;
}

const anthropicReference = (stream: boolean): Leg => ['/v1/messages', { 'x-api-key': 'direct' }, anthropicBody('bench-model', stream)];
const chatReference: Leg = ['/v1/chat/completions', { authorization: 'Bearer direct' }, chatBody('bench-model', true)];
const anthropicClient = (model: string, stream: boolean): Leg => ['/v1/messages', { 'x-api-key': clientKey }, anthropicBody(model, stream)];

export const scenarios: Scenario[] = [
  { id: 'non-streaming', name: 'non-streaming', reference: anthropicReference(false), switchyard: anthropicClient('claude/bench-model', false) },
  { id: 'streaming', name: 'streaming, 50 chunks', reference: anthropicReference(true), switchyard: anthropicClient('claude/bench-model', true) },
  // The same streams through an engine with its usage ledger on: the row beside `streaming, 50 chunks` prices recording.
  { id: 'streaming-usage', name: 'streaming, 50 chunks, usage recorded', reference: anthropicReference(true), switchyard: anthropicClient('claude/bench-model', true), usage: true },
  { id: 'anthropic-to-openai', name: 'translated streaming (Anthropic client -> OpenAI upstream), 50 chunks', reference: chatReference, switchyard: anthropicClient('oai/bench-model', true), translation: 'openai-chat>anthropic' },
  {
    id: 'openai-to-anthropic',
    name: 'translated streaming (OpenAI Chat client -> Anthropic upstream), 50 chunks',
    reference: anthropicReference(true),
    switchyard: ['/v1/chat/completions', { authorization: `Bearer ${clientKey}` }, chatBody('claude/bench-model', true)],
    translation: 'anthropic>openai-chat',
  },
  {
    id: 'anthropic-to-gemini',
    name: 'translated streaming (Anthropic client -> Gemini upstream), 50 chunks',
    reference: ['/v1beta/models/bench-model:streamGenerateContent?alt=sse', { 'x-goog-api-key': 'direct' }, geminiBody],
    switchyard: anthropicClient('gem/bench-model', true),
    translation: 'gemini>anthropic',
  },
  {
    id: 'responses-to-openai',
    name: 'translated streaming (OpenAI Responses client -> OpenAI upstream), 50 chunks',
    reference: chatReference,
    switchyard: ['/v1/responses', { authorization: `Bearer ${clientKey}` }, { model: 'oai/bench-model', stream: true, input: prompt }],
    translation: 'openai-chat>openai-responses',
  },
];
