// Cross-format requests through a real engine: the official SDK of each client format talks to Switchyard, a fake
// provider of another format (a real HTTP server on 127.0.0.1) answers, and the SDK's own accumulator must end up
// with the expected text, tool call and usage: a streamed text turn and a streamed two-step tool turn per pair.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireFormat } from '../../../shared/wire-format.ts';
import { codecFor } from '../../../main/core/formats/codecs.ts';
import { Warnings } from '../../../main/core/formats/canonical/warnings.ts';
import type { CanonicalRequest } from '../../../main/core/formats/canonical/canonical-request.ts';
import { startFakeUpstream, type FakeReply, type FakeUpstream, type RecordedRequest } from '../../helpers/fake-upstream/fake-upstream.ts';
import { startEngine, type RunningEngine } from '../../helpers/start-engine.ts';
import { sdkTurnDrivers, type ClientDriver } from '../../helpers/sdk-turn-drivers.ts';

const keys = { ANTHROPIC_KEY: 'fake-ant-provider-key-aaaaaaaaaaaa', OPENAI_KEY: 'sk-openai-provider-key-bbbbbbbbbb', GEMINI_KEY: 'AIza-provider-key-cccccccccccccccc' };
const usage = { input: 21, output: 9 };

/** The combo that reaches an upstream of each format. The Responses upstream is an openai-compatible provider set to
 * `openaiApi: "responses"` (a Responses-only host), so clients of every other format are translated to it. */
const comboFor: Record<WireFormat, string> = { anthropic: 'to-anthropic', 'openai-chat': 'to-chat', 'openai-responses': 'to-responses', gemini: 'to-gemini' };

let running: RunningEngine;
const upstreams = {} as Record<'anthropic' | 'compat' | 'openai' | 'gemini', FakeUpstream>;

function decodeUpstream(format: WireFormat, request: RecordedRequest): CanonicalRequest {
  return codecFor(format).decodeRequest(request.json!, { warnings: new Warnings(), stream: request.stream });
}

/** Fake providers: a tool call when tools are offered and no result is in, else text that quotes the tool result. */
function handler(format: WireFormat): (request: RecordedRequest) => FakeReply {
  return (request) => {
    if (request.operation === 'models') return { kind: 'text' };
    const canonical = decodeUpstream(format, request);
    const result = canonical.messages.flatMap((message) => message.content).find((part) => part.type === 'tool_result');
    if (result?.type === 'tool_result') {
      const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
      return { kind: 'text', text: `The tool said: ${text}`, chunks: 4, usage };
    }
    if (canonical.tools.length > 0) return { kind: 'tool', text: 'Checking the weather.', calls: [{ name: 'get_weather', input: { city: 'Paris' } }], usage };
    return { kind: 'text', text: 'Hello from the fake upstream.', chunks: 5, usage };
  };
}

beforeAll(async () => {
  [upstreams.anthropic, upstreams.compat, upstreams.openai, upstreams.gemini] = await Promise.all([
    startFakeUpstream('anthropic', { keys: [keys.ANTHROPIC_KEY] }),
    startFakeUpstream('openai', { keys: [keys.OPENAI_KEY] }),
    startFakeUpstream('openai', { keys: [keys.OPENAI_KEY] }),
    startFakeUpstream('gemini', { keys: [keys.GEMINI_KEY] }),
  ]);
  upstreams.anthropic.setHandler(handler('anthropic'));
  upstreams.compat.setHandler(handler('openai-chat'));
  upstreams.openai.setHandler((request) => handler(request.operation === 'responses' ? 'openai-responses' : 'openai-chat')(request));
  upstreams.gemini.setHandler(handler('gemini'));
  running = await startEngine(
    {
      providers: [
        { id: 'claude', type: 'anthropic', baseUrl: upstreams.anthropic.url, keys: [{ id: 'k1', secret: { env: 'ANTHROPIC_KEY' } }], models: ['claude-sonnet-4-5'] },
        { id: 'compat', type: 'openai-compatible', baseUrl: upstreams.compat.url, keys: [{ id: 'k1', secret: { env: 'OPENAI_KEY' } }], models: ['gpt-4.1'] },
        { id: 'oai', type: 'openai-compatible', baseUrl: upstreams.openai.url, keys: [{ id: 'k1', secret: { env: 'OPENAI_KEY' } }], models: ['gpt-5.5'], openaiApi: 'responses' },
        { id: 'gem', type: 'gemini', baseUrl: upstreams.gemini.url, keys: [{ id: 'k1', secret: { env: 'GEMINI_KEY' } }], models: ['gemini-2.5-flash'] },
      ],
      combos: [
        { name: 'to-anthropic', targets: ['claude/claude-sonnet-4-5'] },
        { name: 'to-chat', targets: ['compat/gpt-4.1'] },
        { name: 'to-responses', targets: ['oai/gpt-5.5'] },
        { name: 'to-gemini', targets: ['gem/gemini-2.5-flash'] },
      ],
      activeCombo: 'to-anthropic',
    },
    { env: keys, logLevel: 'warn' },
  );
  drivers = sdkTurnDrivers(running);
});

afterAll(async () => {
  if (process.env.SHOW_ENGINE_LOGS) console.log(running?.logs.join('\n'));
  await running?.stop();
  await Promise.all(Object.values(upstreams).map((upstream) => upstream?.close()));
});

function upstreamFor(format: WireFormat): FakeUpstream {
  return format === 'anthropic' ? upstreams.anthropic : format === 'openai-chat' ? upstreams.compat : format === 'gemini' ? upstreams.gemini : upstreams.openai;
}

let drivers: Record<WireFormat, (model: string) => ClientDriver>;

const formats: WireFormat[] = ['anthropic', 'openai-chat', 'openai-responses', 'gemini'];
const pairs = formats.flatMap((client) => formats.map((upstream) => [client, upstream] as const));

describe.each(pairs)('%s client -> %s upstream', (client, upstream) => {
  it('completes a streamed text turn', async () => {
    const driver = drivers[client](comboFor[upstream]);
    const result = await driver.turn(driver.start(), false);
    expect(result.text).toBe('Hello from the fake upstream.');
    expect(result.calls).toEqual([]);
    expect(result.inputTokens).toBe(usage.input);
    expect(result.outputTokens).toBe(usage.output);
    const seen = upstreamFor(upstream).requests.at(-1)!;
    expect(seen.stream).toBe(true);
    expect(seen.operation).toBe({ anthropic: 'messages', 'openai-chat': 'chat', 'openai-responses': 'responses', gemini: 'streamGenerateContent' }[upstream]);
    expect(seen.credential).toBe(upstream === 'anthropic' ? keys.ANTHROPIC_KEY : upstream === 'gemini' ? keys.GEMINI_KEY : keys.OPENAI_KEY);
  });

  it('completes a streamed two-step tool turn with the upstream tool id carried back', async () => {
    const driver = drivers[client](comboFor[upstream]);
    const history = driver.start();
    const first = await driver.turn(history, true);
    expect(first.text).toBe('Checking the weather.');
    expect(first.calls.map((call) => ({ name: call.name, args: call.args }))).toEqual([{ name: 'get_weather', args: { city: 'Paris' } }]);
    const id = first.calls[0]!.id;
    const issued = { anthropic: 'toolu_fake0', 'openai-chat': 'call_fake0', 'openai-responses': 'call_fake0', gemini: undefined }[upstream];
    if (issued) expect(id).toBe(issued);
    else if (client !== 'gemini' || upstream !== 'gemini') expect(id).toMatch(/^sy-gemini-/);
    expect(first.inputTokens).toBe(usage.input);
    expect(first.outputTokens).toBe(usage.output);

    driver.addResults(history, first.calls);
    const second = await driver.turn(history, true);
    expect(second.text).toBe('The tool said: 18 degrees in Paris');

    const seen = decodeUpstream(upstream, upstreamFor(upstream).requests.at(-1)!);
    const parts = seen.messages.flatMap((message) => message.content);
    const call = parts.find((part) => part.type === 'tool_call');
    const result = parts.find((part) => part.type === 'tool_result');
    expect(call).toMatchObject({ name: 'get_weather' });
    expect(JSON.parse(call?.type === 'tool_call' ? call.arguments : '{}')).toEqual({ city: 'Paris' });
    expect(result?.type === 'tool_result' && result.toolCallId).toBe(call?.type === 'tool_call' && call.id);
    if (issued) expect(call?.type === 'tool_call' && call.id).toBe(issued);
    if (upstream === 'gemini') {
      const contents = upstreamFor('gemini').requests.at(-1)!.json!.contents as { parts: Record<string, unknown>[] }[];
      const count = (key: string) => contents.reduce((sum, content) => sum + content.parts.filter((part) => part[key]).length, 0);
      expect(count('functionResponse')).toBe(count('functionCall'));
      expect(JSON.stringify(contents)).not.toContain('sy-gemini-');
    }
  });
});

it('covers all 16 client/upstream pairs', () => {
  expect(pairs).toHaveLength(16);
});

describe('malformed cross-format requests get a 400 in the caller format', () => {
  const post = (path: string, headers: Record<string, string>, body: unknown) =>
    fetch(`${running.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('Anthropic client, tool_result without tool_use_id', async () => {
    const response = await post('/v1/messages', { 'x-api-key': running.clientKey, 'anthropic-version': '2023-06-01' }, { model: 'to-chat', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'tool_result', content: 'x' }] }] });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain('tool_use_id');
  });

  it('OpenAI Chat client, messages that are not an array', async () => {
    const response = await post('/v1/chat/completions', { authorization: `Bearer ${running.clientKey}` }, { model: 'to-anthropic', messages: 'hello' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string; type: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain('messages');
  });

  it('OpenAI Responses client, function_call_output without call_id', async () => {
    const response = await post('/v1/responses', { authorization: `Bearer ${running.clientKey}` }, { model: 'to-gemini', input: [{ type: 'function_call_output', output: 'x' }] });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toContain('call_id');
  });

  it('Gemini client, a content without parts', async () => {
    const response = await post('/v1beta/models/to-anthropic:generateContent', { 'x-goog-api-key': running.clientKey }, { contents: [{ role: 'user' }] });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: number; status: string; message: string } };
    expect(body.error.code).toBe(400);
    expect(body.error.status).toBe('INVALID_ARGUMENT');
    expect(body.error.message).toContain('parts');
  });
});
