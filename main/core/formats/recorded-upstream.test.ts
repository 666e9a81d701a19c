// Every recorded upstream response and stream (test/fixtures/recorded-upstream) translated to every client
// format: the client receives the same text, tool calls, usage and ending, in a structurally sound stream,
// whatever the chunking of the upstream bytes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { wireFormats, type WireFormat } from '../../../shared/wire-format.ts';
import { ProxyError } from '../errors/proxy-error.ts';
import { codecFor } from './codecs.ts';
import { Warnings } from './canonical/warnings.ts';
import { createStreamTranslator, translateResponse, type TranslationContext } from './translator.ts';
import { chunkings, streamViolations, summarizeClientStream, withCrlf, type ClientStreamSummary } from '../../../test/integration/translation/support/client-stream.ts';

const fixtures = new URL('../../../test/fixtures/recorded-upstream/', import.meta.url);
const read = (format: WireFormat, file: string) => readFileSync(new URL(`${format}/${file}`, fixtures), 'utf8');

export function contextFor(client: WireFormat, upstream: WireFormat): TranslationContext {
  return { client, upstream, clientModel: 'client-model', upstreamModel: 'upstream-model', stream: true, includeUsage: true, renamedTools: {}, customTools: [] };
}

function translateStream(upstream: WireFormat, client: WireFormat, chunks: Uint8Array[]): string {
  const translator = createStreamTranslator({ from: upstream, to: client, context: contextFor(client, upstream) });
  let out = '';
  for (const chunk of chunks) out += translator.push(chunk);
  return out + translator.end();
}

interface Expectation {
  text: string;
  calls: { name: string; args: unknown }[];
  input?: number;
  output?: number;
  stop?: string;
  error?: boolean;
}

const expectations: Record<string, Expectation> = {
  text: { text: 'Hello from the fake upstream.', calls: [], input: 12, output: 7, stop: 'end_turn' },
  'tool-call': { text: 'Running a command.', calls: [{ name: 'Bash', args: { command: 'echo hi' } }], input: 12, output: 20, stop: 'tool_use' },
  'parallel-tool-calls': { text: '', calls: [{ name: 'get_weather', args: { city: 'Paris' } }, { name: 'get_weather', args: { city: 'Tokyo' } }], input: 12, output: 30, stop: 'tool_use' },
  thinking: { text: 'The answer is 42.', calls: [], input: 115, output: 25, stop: 'end_turn' },
  'error-mid-stream': { text: 'Partial answer', calls: [], error: true },
  'early-eof': { text: 'Cut off mid', calls: [], stop: 'end_turn' },
};

const upstreamIds: Record<WireFormat, string[]> = {
  anthropic: ['toolu_01RecordedBash', 'toolu_01Paris', 'toolu_02Tokyo'],
  'openai-chat': ['call_RecordedBash', 'call_Paris', 'call_Tokyo'],
  'openai-responses': ['call_RecordedBash', 'call_Paris', 'call_Tokyo'],
  gemini: [],
};

function checkSummary(summary: ClientStreamSummary, expected: Expectation, upstream: WireFormat, client: WireFormat): void {
  expect(summary.text).toBe(expected.text);
  expect(summary.toolCalls.map((call) => ({ name: call.name, args: JSON.parse(call.arguments || '{}') }))).toEqual(expected.calls);
  const ids = summary.toolCalls.map((call) => call.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) {
    if (upstream === 'gemini') expect(id).toMatch(/^sy-gemini-/);
    else expect(upstreamIds[upstream]).toContain(id);
  }
  if (expected.error) {
    expect(summary.error).toBeTruthy();
    return;
  }
  expect(summary.error).toBeUndefined();
  expect(summary.stopReason).toBe(expected.stop);
  if (expected.input !== undefined) expect(summary.usage.inputTokens, `input tokens ${upstream}->${client}`).toBe(expected.input);
  if (expected.output !== undefined) expect(summary.usage.outputTokens, `output tokens ${upstream}->${client}`).toBe(expected.output);
}

describe.each(wireFormats.map((upstream) => [upstream]))('recorded %s upstream streams', (upstream) => {
  describe.each(Object.keys(expectations).map((scenario) => [scenario]))('%s', (scenario) => {
    const raw = read(upstream, `${scenario}.sse`);
    it.each(wireFormats.map((client) => [client]))('reach a %s client intact in any chunking', (client) => {
      const expected = expectations[scenario]!;
      const reference = translateStream(upstream, client, [new TextEncoder().encode(raw)]);
      expect(streamViolations(client, reference)).toEqual([]);
      const summary = summarizeClientStream(client, reference);
      checkSummary(summary, expected, upstream, client);
      for (const source of [raw, withCrlf(raw)]) {
        for (const [name, chunks] of Object.entries(chunkings(new TextEncoder().encode(source)))) {
          const output = translateStream(upstream, client, chunks);
          expect(streamViolations(client, output), `${name} chunking`).toEqual([]);
          const again = summarizeClientStream(client, output);
          expect({ text: again.text, calls: again.toolCalls.map((call) => [call.name, call.arguments]), stop: again.stopReason, error: again.error }, `${name} chunking`).toEqual({
            text: summary.text,
            calls: summary.toolCalls.map((call) => [call.name, call.arguments]),
            stop: summary.stopReason,
            error: summary.error,
          });
        }
      }
    });
  });

  it.each(wireFormats.map((client) => [client]))('forward the first text to a %s client as soon as it arrives', (client) => {
    const raw = read(upstream, 'text.sse');
    const cut = raw.indexOf('\n\n', raw.indexOf('Hello')) + 2;
    const translator = createStreamTranslator({ from: upstream, to: client, context: contextFor(client, upstream) });
    const first = translator.push(new TextEncoder().encode(raw.slice(0, cut)));
    expect(summarizeClientStream(client, first).text).toBe('Hello');
  });

  it.each(wireFormats.map((client) => [client]))('end a %s client stream with its error event when the upstream fails', (client) => {
    const raw = read(upstream, 'text.sse');
    const translator = createStreamTranslator({ from: upstream, to: client, context: contextFor(client, upstream) });
    let output = translator.push(new TextEncoder().encode(raw.slice(0, raw.indexOf('\n\n', raw.indexOf('Hello')) + 2)));
    output += translator.fail(new ProxyError({ code: 'connection_failed', status: 502, message: 'upstream connection reset', scope: 'provider' }));
    output += translator.end();
    expect(streamViolations(client, output)).toEqual([]);
    const summary = summarizeClientStream(client, output);
    expect(summary.text).toBe('Hello');
    expect(summary.error).toContain('upstream connection reset');
  });

  it.each(wireFormats.map((client) => [client]))('give a %s client its terminal events even when the upstream sent nothing', (client) => {
    const translator = createStreamTranslator({ from: upstream, to: client, context: contextFor(client, upstream) });
    const output = translator.end();
    expect(streamViolations(client, output)).toEqual([]);
  });

  it('report usage to the pipeline', () => {
    const translator = createStreamTranslator({ from: upstream, to: 'anthropic', context: contextFor('anthropic', upstream) });
    translator.push(new TextEncoder().encode(read(upstream, 'thinking.sse')));
    translator.end();
    expect(translator.usage()).toMatchObject({ inputTokens: 115, outputTokens: 25, cacheReadTokens: 100 });
  });
});

describe.each(wireFormats.map((upstream) => [upstream]))('recorded %s upstream bodies', (upstream) => {
  describe.each(['text', 'tool-call', 'parallel-tool-calls', 'thinking'].map((scenario) => [scenario]))('%s', (scenario) => {
    it.each(wireFormats.map((client) => [client]))('reach a %s client intact', (client) => {
      const body: unknown = JSON.parse(read(upstream, `${scenario}.json`));
      const translated = translateResponse({ from: upstream, to: client, body, context: contextFor(client, upstream) });
      const decoded = codecFor(client).decodeResponse(translated.body, new Warnings());
      const expected = expectations[scenario]!;
      const text = decoded.content.filter((part) => part.type === 'text').map((part) => part.text).join('');
      expect(text).toBe(expected.text);
      const calls = decoded.content.flatMap((part) => (part.type === 'tool_call' ? [{ name: part.name, args: JSON.parse(part.arguments) }] : []));
      expect(calls).toEqual(expected.calls);
      expect(decoded.usage.inputTokens).toBe(expected.input);
      expect(decoded.usage.outputTokens).toBe(expected.output);
      expect(decoded.stopReason).toBe(expected.stop);
      if (scenario === 'thinking' && client !== 'openai-chat') expect(decoded.content.some((part) => part.type === 'reasoning')).toBe(true);
    });
  });
});
