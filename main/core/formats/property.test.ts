// Generated conversations through every codec pair: no throw, every tool id intact, every call answered, thinking
// carried by the formats that can hold it; and generated event sequences always give sound client streams.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wireFormats, type WireFormat } from '../../../shared/wire-format.ts';
import type { CanonicalMessage, CanonicalPart, CanonicalRequest, ReasoningPart } from './canonical/canonical-request.ts';
import type { CanonicalStreamEvent } from './canonical/canonical-stream-event.ts';
import { Warnings } from './canonical/warnings.ts';
import { codecFor } from './codecs.ts';
import { StreamSequencer } from './stream/stream-sequencer.ts';
import { fitToolCallId } from './canonical/tool-naming.ts';
import { translateRequest } from './translator.ts';
import { streamViolations } from '../../../test/integration/translation/support/client-stream.ts';

const toolNames = ['Bash', 'read_file', 'get_weather', 'apply_patch'];
const text = fc.string({ minLength: 1, maxLength: 40 }).filter((value) => value.trim() !== '');
const idBody = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789'), minLength: 6, maxLength: 20 });
const toolId = fc.tuple(fc.constantFrom('toolu_', 'call_', 'fc_', 'run_shell_command_17953_'), idBody).map(([prefix, body]) => prefix + body);
const args = fc.dictionary(fc.constantFrom('command', 'path', 'city', 'n'), fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean()), { maxKeys: 3 });

const reasoning: fc.Arbitrary<ReasoningPart> = fc.oneof(
  fc.record({ type: fc.constant('reasoning' as const), origin: fc.constant('anthropic' as const), text, signature: idBody }),
  fc.record({ type: fc.constant('reasoning' as const), origin: fc.constant('anthropic' as const), redactedData: idBody }),
  fc.record({ type: fc.constant('reasoning' as const), origin: fc.constant('openai-responses' as const), id: idBody.map((id) => `rs_${id}`), summary: fc.array(text, { maxLength: 2 }), encryptedContent: idBody }),
  fc.record({ type: fc.constant('reasoning' as const), origin: fc.constant('gemini' as const), text, signature: idBody }),
);

interface Step {
  user: string;
  reasoning: ReasoningPart[];
  reply: string | null;
  calls: { name: string; args: Record<string, unknown>; signature: string | null }[];
  error: boolean;
  midSystem: string | null;
}

const step: fc.Arbitrary<Step> = fc.record({
  user: text,
  reasoning: fc.array(reasoning, { maxLength: 2 }),
  reply: fc.option(text, { nil: null }),
  calls: fc.array(fc.record({ name: fc.constantFrom(...toolNames), args, signature: fc.option(idBody, { nil: null }) }), { maxLength: 3 }),
  error: fc.boolean(),
  midSystem: fc.option(text, { nil: null }),
});

/** A valid conversation: every call gets exactly one result in the next user turn, ids are unique. */
const conversation: fc.Arbitrary<CanonicalRequest> = fc
  .record({ system: fc.option(text, { nil: null }), steps: fc.array(step, { minLength: 1, maxLength: 4 }), ids: fc.uniqueArray(toolId, { minLength: 12, maxLength: 12 }) })
  .map(({ system, steps, ids }) => {
    const messages: CanonicalMessage[] = system ? [{ role: 'system', instructionRole: 'system', content: [{ type: 'text', text: system }] }] : [];
    let next = 0;
    let pending: CanonicalPart[] = [];
    steps.forEach((item, index) => {
      messages.push({ role: 'user', content: [...pending, { type: 'text', text: item.user }] });
      pending = [];
      if (item.midSystem && index > 0) messages.push({ role: 'system', instructionRole: 'developer', content: [{ type: 'text', text: item.midSystem }] });
      const content: CanonicalPart[] = [...item.reasoning];
      if (item.reply) content.push({ type: 'text', text: item.reply });
      for (const call of item.calls) {
        const id = ids[next++]!;
        content.push({ type: 'tool_call', id, name: call.name, arguments: JSON.stringify(call.args), kind: 'function', ...(call.signature ? { thoughtSignature: call.signature } : {}) });
        pending.push({ type: 'tool_result', toolCallId: id, name: call.name, content: [{ type: 'text', text: `out ${id}` }], ...(item.error ? { isError: true } : {}) });
      }
      if (content.length === 0) content.push({ type: 'text', text: 'ok' });
      messages.push({ role: 'assistant', content });
    });
    if (pending.length) messages.push({ role: 'user', content: pending });
    return { messages, tools: toolNames.map((name) => ({ kind: 'function' as const, name, parameters: { type: 'object', properties: { command: { type: 'string' } } } })), stream: true };
  });

function ids(request: CanonicalRequest, type: 'tool_call' | 'tool_result'): string[] {
  return request.messages.flatMap((message) => message.content.flatMap((part) => (part.type === type ? [part.type === 'tool_call' ? part.id : part.toolCallId] : [])));
}

function asClientBody(request: CanonicalRequest, format: WireFormat): Record<string, unknown> {
  const body = codecFor(format).encodeRequest(request, { warnings: new Warnings(), model: 'client-model', stream: true, foreignReasoning: 'carry', renamedTools: {} });
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}

describe('generated conversations', () => {
  it('go through every client/upstream pair without a throw, with every tool id intact and every call answered', () => {
    fc.assert(
      fc.property(conversation, (request) => {
        for (const client of wireFormats) {
          const body = asClientBody(request, client);
          for (const upstream of wireFormats) {
            // Ids pass unchanged unless a format's limits force a deterministic rewrite (Chat: 40 characters).
            const fitted = (type: 'tool_call' | 'tool_result') => ids(request, type).map((id) => fitToolCallId(fitToolCallId(id, client), upstream));
            const translated = translateRequest({ from: client, to: upstream, body, upstreamModel: 'gpt-5.5', clientModel: 'client-model', stream: true });
            const sent = codecFor(upstream).decodeRequest(JSON.parse(JSON.stringify(translated.body)), { warnings: new Warnings(), stream: true });
            expect(ids(sent, 'tool_call')).toEqual(fitted('tool_call'));
            expect(ids(sent, 'tool_result')).toEqual(fitted('tool_result'));
            expect(new Set(ids(sent, 'tool_call')).size).toBe(ids(sent, 'tool_call').length);
            if (upstream === 'gemini') {
              const contents = translated.body.contents as { parts: Record<string, unknown>[] }[];
              const count = (key: string) => contents.reduce((sum, content) => sum + content.parts.filter((part) => part[key]).length, 0);
              expect(count('functionResponse')).toBe(count('functionCall'));
            }
          }
        }
      }),
      { numRuns: 250 },
    );
  });

  it('keep their reasoning, signatures included, in the history of every client that can hold it', () => {
    // Only reasoning of the upstream's own origin is ever sent back, so each origin's sequence must survive
    // (reasoning of different origins inside one turn, which no single upstream produces, may interleave differently).
    const reasoningOf = (request: CanonicalRequest) => {
      const byOrigin: Record<string, unknown[]> = {};
      for (const message of request.messages) {
        for (const part of message.content) {
          if (part.type === 'reasoning') (byOrigin[part.origin] ??= []).push(part);
          else if (part.type === 'tool_call' && part.thoughtSignature) (byOrigin['gemini-calls'] ??= []).push([part.id, part.thoughtSignature]);
        }
      }
      return byOrigin;
    };
    fc.assert(
      fc.property(conversation, (request) => {
        for (const client of wireFormats.filter((format) => format !== 'openai-chat')) {
          const decoded = codecFor(client).decodeRequest(asClientBody(request, client), { warnings: new Warnings(), stream: true });
          expect(reasoningOf(decoded)).toEqual(reasoningOf(request));
        }
      }),
      { numRuns: 250 },
    );
  });
});

const blockKinds = fc.constantFrom(
  { kind: 'text' as const },
  { kind: 'reasoning' as const, origin: 'anthropic' as const },
  { kind: 'reasoning' as const, origin: 'gemini' as const },
  { kind: 'reasoning' as const, origin: 'openai-responses' as const, id: 'rs_1' },
  { kind: 'tool_call' as const, id: 'toolu_1', name: 'Bash', toolKind: 'function' as const },
  { kind: 'tool_call' as const, id: 'call_2', name: 'get_weather', toolKind: 'function' as const, thoughtSignature: 'sig' },
);
const rawEvent: fc.Arbitrary<CanonicalStreamEvent> = fc.oneof(
  fc.constant({ type: 'message_start' as const }),
  fc.record({ type: fc.constant('block_start' as const), index: fc.nat(4), block: blockKinds }),
  fc.record({ type: fc.constant('text_delta' as const), index: fc.nat(4), text }),
  fc.record({ type: fc.constant('reasoning_delta' as const), index: fc.nat(4), text, summaryIndex: fc.option(fc.nat(2), { nil: undefined }) }),
  fc.record({ type: fc.constant('tool_arguments_delta' as const), index: fc.nat(4), json: fc.constantFrom('{"a"', ':1}', '{}') }),
  fc.record({ type: fc.constant('signature' as const), index: fc.nat(4), signature: idBody }),
  fc.record({ type: fc.constant('block_stop' as const), index: fc.nat(4) }),
  fc.record({ type: fc.constant('usage' as const), usage: fc.record({ inputTokens: fc.nat(1000), outputTokens: fc.nat(1000) }) }),
  fc.record({ type: fc.constant('message_stop' as const), stopReason: fc.constantFrom('end_turn' as const, 'tool_use' as const, 'max_tokens' as const) }),
  fc.record({ type: fc.constant('error' as const), error: fc.record({ status: fc.constantFrom(429, 500, 529), message: text }) }),
);

describe('generated upstream event sequences', () => {
  it('always give every client format a sound stream: started before stopped, terminal events last', () => {
    fc.assert(
      fc.property(fc.array(rawEvent, { maxLength: 25 }), fc.boolean(), (events, failAtEnd) => {
        for (const client of wireFormats) {
          const sequencer = new StreamSequencer();
          const encoder = codecFor(client).createStreamEncoder({ warnings: new Warnings(), model: 'm', renamedTools: {}, customTools: [], includeUsage: true });
          let out = '';
          for (const event of events) for (const sequenced of sequencer.accept(event)) out += encoder.encode(sequenced);
          const ending = failAtEnd ? sequencer.fail({ status: 502, message: 'reset' }) : sequencer.finish();
          for (const event of ending) out += encoder.encode(event);
          expect(streamViolations(client, out)).toEqual([]);
        }
      }),
      { numRuns: 400 },
    );
  });
});
