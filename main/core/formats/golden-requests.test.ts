// Golden round trips over the real client requests in test/fixtures/real-client-requests (Claude Code, Codex,
// Gemini CLI): each body, converted to every other format as a client of that format would hold the history and
// back again, keeps its messages, tool ids, tool results, system text and thinking.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { wireFormats, type WireFormat } from '../../../shared/wire-format.ts';
import type { CanonicalRequest } from './canonical/canonical-request.ts';
import { Warnings } from './canonical/warnings.ts';
import { codecFor } from './codecs.ts';
import { translateRequest } from './translator.ts';

const root = new URL('../../../test/fixtures/real-client-requests/', import.meta.url);

interface Fixture {
  name: string;
  format: WireFormat;
  body: Record<string, unknown>;
  stream: boolean;
}

function formatOf(directory: string): WireFormat {
  if (directory.startsWith('claude')) return 'anthropic';
  if (directory.startsWith('codex')) return 'openai-responses';
  return 'gemini';
}

const realFixtures: Fixture[] = readdirSync(root).flatMap((directory) =>
  readdirSync(new URL(`${directory}/`, root)).map((file) => {
    const recorded = JSON.parse(readFileSync(new URL(`${directory}/${file}`, root), 'utf8')) as { path: string; body: Record<string, unknown> };
    return { name: `${directory}/${file}`, format: formatOf(directory), body: recorded.body, stream: recorded.path.includes('stream') || recorded.body.stream === true };
  }),
);

/** The tool turns again, with the thinking a real session would carry in its history. */
function withThinking(fixture: Fixture): Fixture {
  const body = structuredClone(fixture.body);
  if (fixture.format === 'anthropic') {
    const messages = body.messages as { role: string; content: unknown[] }[];
    const assistant = messages.find((message) => message.role === 'assistant')!;
    assistant.content.unshift(
      { type: 'thinking', thinking: 'The user wants a shell command run.', signature: 'EqQBCkgIARABGAIiQRealAnthropicSignature==' },
      { type: 'redacted_thinking', data: 'EmwKAhgBEgyRealRedactedThinking' },
    );
  } else if (fixture.format === 'openai-responses') {
    const input = body.input as { type?: string }[];
    const call = input.findIndex((item) => item.type === 'function_call');
    input.splice(call, 0, { type: 'reasoning', id: 'rs_0123RealReasoning', summary: [{ type: 'summary_text', text: 'Plan: run echo.' }], encrypted_content: 'gAAAAABRealEncryptedReasoning==' } as never);
  } else {
    const contents = body.contents as { role: string; parts: Record<string, unknown>[] }[];
    const model = contents.find((content) => content.role === 'model')!;
    model.parts[0]!.thoughtSignature = 'CiQBRealGeminiThoughtSignature';
    model.parts.unshift({ text: 'I will call the shell tool.', thought: true });
  }
  return { ...fixture, name: `${fixture.name} + thinking`, body };
}

const fixtures = [...realFixtures, ...realFixtures.filter((fixture) => fixture.name.includes('tool') && fixture.name.includes('002')).map(withThinking)];

const squash = (text: string) => text.replace(/\s+/g, '');

/** The conversation as a comparable transcript: texts per role, tool calls, tool results and reasoning in order. */
function transcript(request: CanonicalRequest): unknown[] {
  const entries: unknown[] = [];
  for (const message of request.messages) {
    if (message.role === 'system') continue;
    for (const part of message.content) {
      if (part.type === 'text') {
        const last = entries.at(-1) as { kind?: string; role?: string; text?: string } | undefined;
        if (last?.kind === 'text' && last.role === message.role) last.text += squash(part.text);
        else entries.push({ kind: 'text', role: message.role, text: squash(part.text) });
      } else if (part.type === 'tool_call') entries.push({ kind: 'call', id: part.id, name: part.name, args: JSON.parse(part.arguments || '{}'), signature: part.thoughtSignature });
      else if (part.type === 'tool_result') entries.push({ kind: 'result', id: part.toolCallId, text: squash(part.content.map((item) => (item.type === 'text' ? item.text : '')).join('')).replace(/^Error:/, '') });
      else if (part.type === 'reasoning') entries.push({ kind: 'reasoning', part: { ...part } });
    }
  }
  return entries;
}

function systemTexts(request: CanonicalRequest): string[] {
  return request.messages.filter((message) => message.role === 'system').flatMap((message) => message.content.map((part) => (part.type === 'text' ? part.text : '')));
}

function viaFormat(canonical: CanonicalRequest, through: WireFormat, warnings: Warnings): CanonicalRequest {
  const body = codecFor(through).encodeRequest(canonical, { warnings, model: 'model', stream: true, foreignReasoning: 'carry', renamedTools: {} });
  return codecFor(through).decodeRequest(JSON.parse(JSON.stringify(body)), { warnings, stream: true });
}

/** Formats whose clients can carry thinking from another family in their history (Chat has no field for it). */
const carriesThinking = (format: WireFormat) => format !== 'openai-chat';

describe.each(fixtures.map((fixture) => [fixture.name, fixture]))('%s', (_name, fixture) => {
  const original = codecFor(fixture.format).decodeRequest(fixture.body, { warnings: new Warnings(), stream: fixture.stream });

  it('decodes to a conversation with content', () => {
    expect(systemTexts(original).join('').length).toBeGreaterThan(100);
    // Claude Code's session-title request is a one-message side request without tools (docs/clients.md).
    if (fixture.name === 'claude-title/001-POST-v1_messages.json') return expect(original.messages.filter((message) => message.role !== 'system')).toHaveLength(1);
    expect(original.messages.length).toBeGreaterThan(1);
    expect(original.tools.length).toBeGreaterThan(3);
  });

  it.each(wireFormats.map((format) => [format]))('survives a round trip through %s', (through) => {
    const warnings = new Warnings();
    const there = viaFormat(original, through, warnings);
    const back = viaFormat(there, fixture.format, warnings);
    const expected = transcript(original);
    const comparable = (entries: unknown[]) =>
      carriesThinking(through) ? entries : entries.filter((entry) => (entry as { kind: string }).kind !== 'reasoning').map((entry) => ({ ...(entry as object), signature: undefined }));
    expect(comparable(transcript(there))).toEqual(comparable(expected));
    expect(comparable(transcript(back))).toEqual(comparable(expected));
    const allSystem = squash(systemTexts(back).join(''));
    for (const text of systemTexts(original)) expect(allSystem).toContain(squash(text));
    const toolNames = (request: CanonicalRequest) => request.tools.flatMap((tool) => (tool.kind === 'builtin' ? [] : [tool.name]));
    expect(toolNames(back)).toEqual(toolNames(original).filter((name) => toolNames(there).includes(name)));
    if (!carriesThinking(through) && expected.some((entry) => (entry as { kind: string }).kind === 'reasoning')) {
      expect(warnings.list().join('\n')).toMatch(/Reasoning produced by .* was dropped/);
    }
  });

  it.each(wireFormats.filter((format) => format !== fixture.format).map((format) => [format]))('keeps every tool id and answers every call when sent to a %s upstream', (to) => {
    const { body } = translateRequest({ from: fixture.format, to, body: fixture.body, upstreamModel: 'gpt-5.5', clientModel: 'client', stream: true });
    const sent = codecFor(to).decodeRequest(JSON.parse(JSON.stringify(body)), { warnings: new Warnings(), stream: true });
    const ids = (request: CanonicalRequest, type: 'tool_call' | 'tool_result') =>
      request.messages.flatMap((message) => message.content.flatMap((part) => (part.type === type ? [part.type === 'tool_call' ? part.id : part.toolCallId] : [])));
    expect(ids(sent, 'tool_call')).toEqual(ids(original, 'tool_call'));
    expect(ids(sent, 'tool_result')).toEqual(ids(original, 'tool_result'));
    if (to === 'gemini') {
      const contents = body.contents as { role: string; parts: Record<string, unknown>[] }[];
      const calls = contents.flatMap((content) => content.parts.filter((part) => part.functionCall));
      const responses = contents.flatMap((content) => content.parts.filter((part) => part.functionResponse));
      expect(responses.length).toBe(calls.length);
    }
  });
});

describe('thinking from another family is dropped when the conversation moves', () => {
  const thinking = fixtures.filter((fixture) => fixture.name.endsWith('+ thinking'));
  it.each(thinking.map((fixture) => [fixture.name, fixture]))('%s', (_name, fixture) => {
    for (const to of wireFormats.filter((format) => format !== fixture.format)) {
      const { body, warnings } = translateRequest({ from: fixture.format, to, body: fixture.body, upstreamModel: 'gpt-5.5', clientModel: 'client', stream: true });
      const text = JSON.stringify(body);
      expect(text).not.toMatch(/RealAnthropicSignature|RealRedactedThinking|RealEncryptedReasoning|RealGeminiThoughtSignature/);
      expect(warnings.join('\n')).toMatch(/dropped|cannot be sent/);
    }
  });

  it('stays when the conversation returns to its own family', () => {
    for (const fixture of thinking) {
      const { body } = translateRequest({ from: fixture.format, to: fixture.format, body: fixture.body, upstreamModel: 'gpt-5.5', clientModel: 'client', stream: true });
      expect(JSON.stringify(body)).toMatch(/RealAnthropicSignature|RealEncryptedReasoning|RealGeminiThoughtSignature/);
    }
  });
});
