import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startFakeUpstream } from '../../helpers/fake-upstream/fake-upstream.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';

// Generated input at the HTTP edge: whatever a client sends, it gets a complete answer (never a hang), errors come
// in its own API's shape, nothing that is the client's fault becomes a 5xx, and the server keeps serving.

let upstreams: FakeUpstream[] = [];
let running: RunningEngine;

beforeAll(async () => {
  upstreams = await Promise.all([startFakeUpstream('anthropic'), startFakeUpstream('openai'), startFakeUpstream('gemini')]);
  const [anthropic, openai, gemini] = upstreams;
  running = await startEngine(
    {
      server: { maxBodyBytes: 256 * 1024 },
      providers: [
        { id: 'claude', type: 'anthropic', baseUrl: anthropic!.url, keys: [{ id: 'k', secret: { env: 'K' } }] },
        { id: 'oai', type: 'openai', baseUrl: openai!.url, keys: [{ id: 'k', secret: { env: 'K' } }] },
        { id: 'gem', type: 'gemini', baseUrl: gemini!.url, keys: [{ id: 'k', secret: { env: 'K' } }] },
      ],
    },
    { env: { K: 'sk-fuzz-upstream-key-00000000000' }, logLevel: 'error' },
  );
});

afterAll(async () => {
  await running?.stop();
  await Promise.all(upstreams.map((upstream) => upstream.close()));
});

const routes = [
  { path: (model: string) => `/v1/messages?model=${model}`, format: 'anthropic' },
  { path: () => '/v1/messages/count_tokens', format: 'anthropic' },
  { path: () => '/v1/chat/completions', format: 'openai' },
  { path: () => '/v1/responses', format: 'openai' },
  { path: (model: string) => `/v1beta/models/${model}:generateContent`, format: 'gemini' },
  { path: (model: string) => `/v1beta/models/${model}:streamGenerateContent?alt=sse`, format: 'gemini' },
  { path: (model: string) => `/v1beta/models/${model}:countTokens`, format: 'gemini' },
] as const;

// Mostly real targets, so most requests get past routing into translation and the upstream call.
const models = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('claude/m', 'oai/m', 'gem/m') },
  { weight: 2, arbitrary: fc.constantFrom('nope', 'claude-x', '', 'a/b/c') },
);

// Bodies: structurally plausible requests with random parts, raw JSON values, and plain garbage.
const plausibleBody = fc.record(
  {
    model: fc.oneof({ weight: 9, arbitrary: models }, { weight: 1, arbitrary: fc.jsonValue() }),
    stream: fc.oneof(fc.boolean(), fc.jsonValue()),
    max_tokens: fc.oneof(fc.integer(), fc.jsonValue()),
    messages: fc.oneof(
      fc.array(fc.record({ role: fc.constantFrom('user', 'assistant', 'system', 'tool', 'bogus'), content: fc.oneof(fc.string(), fc.jsonValue(), fc.array(fc.record({ type: fc.constantFrom('text', 'image', 'tool_use', 'tool_result', 'thinking', 'x'), text: fc.jsonValue(), id: fc.string(), tool_use_id: fc.jsonValue(), input: fc.jsonValue() }, { requiredKeys: ['type'] }))) }, { requiredKeys: [] }), { maxLength: 4 }),
      fc.jsonValue(),
    ),
    input: fc.oneof(fc.string(), fc.jsonValue(), fc.array(fc.record({ type: fc.constantFrom('message', 'function_call', 'function_call_output', 'reasoning', 'custom_tool_call'), role: fc.string(), content: fc.jsonValue(), call_id: fc.jsonValue(), arguments: fc.jsonValue(), output: fc.jsonValue() }, { requiredKeys: [] }), { maxLength: 4 })),
    contents: fc.oneof(fc.jsonValue(), fc.array(fc.record({ role: fc.constantFrom('user', 'model', 'x'), parts: fc.oneof(fc.jsonValue(), fc.array(fc.record({ text: fc.jsonValue(), functionCall: fc.jsonValue(), functionResponse: fc.jsonValue(), inlineData: fc.jsonValue() }, { requiredKeys: [] }), { maxLength: 3 })) }, { requiredKeys: [] }), { maxLength: 4 })),
    tools: fc.oneof(fc.jsonValue(), fc.array(fc.record({ name: fc.jsonValue(), type: fc.constantFrom('function', 'custom', 'web_search_20250305'), input_schema: fc.jsonValue(), parameters: fc.jsonValue(), function: fc.jsonValue(), functionDeclarations: fc.jsonValue() }, { requiredKeys: [] }), { maxLength: 3 })),
    system: fc.jsonValue(),
    systemInstruction: fc.jsonValue(),
    tool_choice: fc.jsonValue(),
    thinking: fc.jsonValue(),
    reasoning: fc.jsonValue(),
    generationConfig: fc.jsonValue(),
  },
  { requiredKeys: ['model'] },
).map((body) => JSON.stringify(body));

const body = fc.oneof(
  { weight: 6, arbitrary: plausibleBody },
  { weight: 2, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('latin1')) },
);

function errorShapeOk(format: string, json: unknown): boolean {
  const document = json as { type?: unknown; error?: { type?: unknown; message?: unknown; code?: unknown; status?: unknown } };
  if (typeof document?.error?.message !== 'string') return false;
  if (format === 'anthropic') return document.type === 'error' && typeof document.error.type === 'string';
  if (format === 'gemini') return typeof document.error.code === 'number' && typeof document.error.status === 'string';
  return typeof document.error.type === 'string';
}

describe('the HTTP edge under generated input', () => {
  it('answers every request completely, in the caller format, without a 5xx of its own making', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(routes.length - 1), models, body, fc.nat(9).map((n) => n > 0), async (routeIndex, model, text, authenticated) => {
        const route = routes[routeIndex]!;
        const response = await fetch(`${running.url}${route.path(encodeURIComponent(model) || 'x')}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authenticated ? { 'x-api-key': running.clientKey } : {}) },
          body: text,
          signal: AbortSignal.timeout(10_000),
        });
        const raw = await response.text();
        expect(response.status, raw).toBeLessThan(500);
        if (response.status >= 400) {
          expect(errorShapeOk(route.format, JSON.parse(raw)), `${response.status} ${raw}`).toBe(true);
        }
      }),
      { numRuns: 400, interruptAfterTimeLimit: 60_000 },
    );
    expect((await fetch(`${running.url}/health`)).status).toBe(200);
  }, 90_000);
});
