import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProxyError } from '../errors/proxy-error.ts';
import { codecFor } from '../formats/codecs.ts';
import type { OutputCounter } from '../formats/token-usage/count-output.ts';
import { outputCounterFor } from '../formats/token-usage/count-output.ts';
import type { UsageEvent } from '../usage/build-usage-record.ts';
import { buildUsageRecord } from '../usage/build-usage-record.ts';
import { createPriceTable } from '../usage/price-table.ts';
import { KeepBudget, keptStreamBytes, RequestUsage, routeOf } from './request-usage.ts';

function tracked(start = 1_000) {
  let now = start;
  const events: UsageEvent[] = [];
  const usage = new RequestUsage({ record: (event) => events.push(event) }, () => now, 'anthropic', 'fast');
  return { usage, events, advance: (ms: number) => (now += ms) };
}

const rateLimited = new ProxyError({ code: 'rate_limited', status: 429, message: 'slow down', scope: 'key' });
const outage = new ProxyError({ code: 'upstream_unavailable', status: 503, message: 'down', scope: 'provider' });

describe('RequestUsage', () => {
  it('names routes as the ledger does', () => {
    expect(routeOf('combo:fast')).toEqual({ routeKind: 'combo', route: 'fast' });
    expect(routeOf('active-combo:daily')).toEqual({ routeKind: 'combo', route: 'daily' });
    expect(routeOf('alias:sonnet')).toEqual({ routeKind: 'alias', route: 'sonnet' });
    expect(routeOf('scenario:background')).toEqual({ routeKind: 'scenario', route: 'background' });
    for (const direct of ['direct', 'listing', 'family']) expect(routeOf(direct)).toEqual({ routeKind: 'direct', route: null });
  });

  it("counts the guard's work: a rate limit and a key rotation, then a fallback to the next target", () => {
    const { usage, events, advance } = tracked();
    usage.routed('combo:fast');
    usage.targetStarted('a', 'm1');
    usage.attemptStarted('key-1', false);
    usage.attemptFailed(rateLimited);
    usage.attemptStarted('key-2', false);
    usage.attemptFailed(outage);
    usage.targetStarted('b', 'm2');
    usage.attemptStarted('key-1', false);
    advance(40);
    usage.firstByte();
    advance(60);
    usage.bufferedAnswer(codecFor('anthropic').usage, Buffer.from(JSON.stringify({ usage: { input_tokens: 7, output_tokens: 3 } })));
    usage.finish({ status: 200, aborted: false }, { messages: [] });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      routeKind: 'combo', route: 'fast', provider: 'b', model: 'm2', keyId: 'key-1', attempts: 3, outcome: 'ok', status: 200,
      upstreamRateLimited: 1, upstreamFailures: 1, keyRotations: 1, fallbacks: 1, ttfbMs: 40, durationMs: 100, stream: false,
      rateLimitsRotated: 1, rateLimitsRetried: 0, rateLimitsFellBack: 0,
      usage: { inputTokens: 7, outputTokens: 3 },
    });
  });

  it('says how each rate limit was handled: retried on the key, rotated, fallen back, or passed to the client', () => {
    const { usage, events } = tracked();
    usage.routed('combo:fast');
    usage.targetStarted('a', 'm1');
    usage.attemptStarted('key-1', false);
    usage.attemptFailed(rateLimited);
    usage.attemptStarted('key-1', false); // the same key after its retry hint
    usage.attemptFailed(rateLimited);
    usage.attemptStarted('key-2', false); // another key
    usage.attemptFailed(outage); // not a rate limit: handled by nobody's count
    usage.attemptStarted('key-3', false);
    usage.attemptFailed(rateLimited);
    usage.targetStarted('b', 'm2'); // the next target
    usage.attemptStarted('key-1', false);
    usage.attemptFailed(rateLimited); // the last answer: it reached the client
    usage.finish({ status: 429, aborted: false, error: rateLimited }, { messages: [] });
    expect(events[0]).toMatchObject({ upstreamRateLimited: 4, rateLimitsRetried: 1, rateLimitsRotated: 1, rateLimitsFellBack: 1, keyRotations: 2, fallbacks: 1, status: 429 });
  });

  it('a refusal is refused, an abort aborted, an upstream failure an error; each recorded once', () => {
    const refused = tracked();
    refused.usage.finish({ status: 404, aborted: false, error: new ProxyError({ code: 'unknown_model', status: 404, message: 'no', scope: 'request' }) }, undefined);
    refused.usage.finish({ status: 404, aborted: false }, undefined);
    expect(refused.events.map((event) => [event.outcome, event.errorCode, event.attempts])).toEqual([['refused', 'unknown_model', 0]]);

    const aborted = tracked();
    aborted.usage.targetStarted('a', 'm');
    aborted.usage.attemptStarted('k', false);
    aborted.usage.streamReader(codecFor('anthropic').usage)!.push(Buffer.from('event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":9,"output_tokens":1}}}\n\n'));
    aborted.usage.finish({ status: 200, aborted: true }, { messages: [] });
    expect(aborted.events[0]).toMatchObject({ outcome: 'aborted', errorCode: null, stream: true, usage: { inputTokens: 9, outputTokens: 1 } });
    expect(aborted.events[0]!.estimate).toBeDefined();

    const failed = tracked();
    failed.usage.targetStarted('a', 'm');
    failed.usage.attemptStarted('acct-1', true);
    failed.usage.finish({ status: 503, aborted: false, error: outage }, { messages: [] });
    expect(failed.events[0]).toMatchObject({ outcome: 'error', errorCode: 'upstream_unavailable', accountId: 'acct-1', keyId: null, billing: 'subscription' });
    // A failed request is not billed for an estimated prompt.
    expect(failed.events[0]!.estimate).toBeUndefined();
  });

  it('records a request whose upstream body is not JSON, and does nothing without a ledger', () => {
    const { usage, events } = tracked();
    usage.bufferedAnswer(codecFor('openai-chat').usage, Buffer.from('not json'));
    expect(() => usage.finish({ status: 200, aborted: false }, { messages: [] })).not.toThrow();
    // The request is still recorded; with nothing reported, the ledger estimates its tokens.
    expect(events).toHaveLength(1);
    expect(events[0]!.usage).toBeUndefined();
    expect(events[0]!.estimate).toBeDefined();
    const idle = new RequestUsage(undefined, () => 0, 'gemini', 'm');
    expect(idle.active).toBe(false);
    expect(idle.streamReader(codecFor('gemini').usage)).toBeUndefined();
    expect(() => idle.finish({ status: 200, aborted: false }, undefined)).not.toThrow();
  });

  describe('output estimate', () => {
    const chatChunk = (content: string) => `data: ${JSON.stringify({ id: 'c1', choices: [{ index: 0, delta: { content } }] })}\n\n`;
    const anthropicStart = (usage: unknown) => `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { id: 'msg_1', content: [], usage } })}\n\n`;
    const anthropicText = (text: string) =>
      `event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n` +
      `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })}\n\n`;
    const prices = createPriceTable({});

    /** A counter that must not be used (the upstream reported its output): it counts its calls. */
    let decoded = 0;
    const untouchable: OutputCounter = {
      body: () => ++decoded,
      stream: () => ({ characters: ++decoded, closingOutputReported: false }),
    };
    beforeEach(() => {
      decoded = 0;
    });
    afterEach(() => {
      expect(decoded, 'answers decoded although their usage was reported').toBe(0);
    });

    function answered(format: Parameters<typeof codecFor>[0] = 'openai-chat') {
      const tracking = tracked();
      tracking.usage.targetStarted('p', 'm');
      tracking.usage.attemptStarted('k', false);
      return { ...tracking, reading: codecFor(format).usage, counter: outputCounterFor(format) };
    }

    it('a stream without usage: the characters of its text, from the chunks kept as they were relayed', () => {
      const { usage, events, reading, counter } = answered();
      const reader = usage.streamReader(reading, true, counter)!;
      for (const piece of ['Hello', ', wor', 'ld!']) reader.push(Buffer.from(chatChunk(piece)));
      usage.finish({ status: 200, aborted: false }, { messages: [] });
      expect(events[0]!.usage).toBeUndefined();
      expect(events[0]!.estimate).toMatchObject({ outputCharacters: 'Hello, world!'.length });
      expect(buildUsageRecord(events[0]!, prices)).toMatchObject({ estimated: true, tokens: { outputTokens: Math.ceil(13 / 4) } });
    });

    it('a stream that reports its usage is never decoded', () => {
      const { usage, events, reading } = answered();
      const reader = usage.streamReader(reading, true, untouchable)!;
      reader.push(Buffer.from(chatChunk('hi')));
      reader.push(Buffer.from('data: {"id":"c1","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2}}\n\n'));
      usage.finish({ status: 200, aborted: true }, { messages: [] });
      expect(events[0]!.usage).toEqual({ inputTokens: 5, outputTokens: 2 });
      expect(events[0]!.estimate!.outputCharacters).toBeUndefined();
      expect(buildUsageRecord(events[0]!, prices)).toMatchObject({ estimated: false, tokens: { inputTokens: 5, outputTokens: 2 } });
    });

    it('a failed request is not decoded either (it is not estimated)', () => {
      const { usage, events, reading } = answered();
      usage.streamReader(reading, true, untouchable)!.push(Buffer.from(chatChunk('hi')));
      usage.finish({ status: 502, aborted: false, error: outage }, { messages: [] });
      expect(events[0]).toMatchObject({ outcome: 'error', usage: undefined });
    });

    it('Anthropic cut after message_start: the reported input stays, the placeholder output is replaced by the estimate', () => {
      const { usage, events, reading, counter } = answered('anthropic');
      const reader = usage.streamReader(reading, true, counter)!;
      reader.push(Buffer.from(anthropicStart({ input_tokens: 900, cache_read_input_tokens: 100, output_tokens: 1 })));
      reader.push(Buffer.from(anthropicText('x'.repeat(41))));
      usage.finish({ status: 200, aborted: true }, { messages: [{ role: 'user', content: 'a much longer prompt than nine hundred tokens? no' }] });
      expect(events[0]!.usage).toEqual({ inputTokens: 1000, cacheReadTokens: 100 });
      expect(events[0]!.estimate!.outputCharacters).toBe(41);
      // Input and cache figures as reported (not the request's estimate, not added to it), output estimated.
      expect(buildUsageRecord(events[0]!, prices)).toMatchObject({ estimated: true, tokens: { inputTokens: 900, cacheReadTokens: 100, outputTokens: 11 } });
    });

    it("Anthropic host that reports usage only in message_delta: that one report is the upstream's own, kept", () => {
      const { usage, events, reading, counter } = answered('anthropic');
      const reader = usage.streamReader(reading, true, counter)!;
      reader.push(Buffer.from(anthropicStart(undefined) + anthropicText('hello')));
      reader.push(Buffer.from('event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":12,"output_tokens":3}}\n\n'));
      usage.finish({ status: 200, aborted: false }, { messages: [] });
      expect(events[0]!.usage).toEqual({ inputTokens: 12, outputTokens: 3 });
      expect(events[0]!.estimate!.outputCharacters).toBeUndefined();
    });

    it('keeps at most keptStreamBytes of a stream: a longer one gives a lower bound, the chunks are not copied', () => {
      const { usage, events, reading, counter } = answered();
      const chunk = Buffer.from(chatChunk('y'.repeat(64 * 1024 - 100)));
      const text = chunk.length - chatChunk('').length;
      let seen: readonly Buffer[] = [];
      const reader = usage.streamReader(reading, true, { ...counter, stream: (chunks) => ((seen = chunks), counter.stream(chunks)) })!;
      const pushed = Math.ceil((keptStreamBytes * 1.5) / chunk.length);
      for (let i = 0; i < pushed; i++) reader.push(chunk);
      usage.finish({ status: 200, aborted: false }, { messages: [] });
      expect(seen.length).toBe(Math.floor(keptStreamBytes / chunk.length));
      expect(seen.every((kept) => kept === chunk)).toBe(true);
      expect(events[0]!.estimate!.outputCharacters).toBe(seen.length * text);
    });

    it('lets go of the kept chunks as soon as the upstream reports its output (nothing to estimate then)', () => {
      const budget = new KeepBudget(1024 * 1024);
      const events: UsageEvent[] = [];
      const usage = new RequestUsage({ record: (event) => events.push(event) }, () => 0, 'openai-chat', 'm', budget);
      usage.targetStarted('p', 'm');
      usage.attemptStarted('k', false);
      const reader = usage.streamReader(codecFor('openai-chat').usage, true, { ...outputCounterFor('openai-chat'), stream: () => expect.unreachable('decoded') })!;
      reader.push(Buffer.from(chatChunk('kept for now')));
      expect(budget.used).toBeGreaterThan(0);
      reader.push(Buffer.from('data: {"id":"c1","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2}}\n\n'));
      expect(budget.used).toBe(0);
      reader.push(Buffer.from(chatChunk('after the report')));
      expect(budget.used).toBe(0);
      usage.finish({ status: 200, aborted: false }, { messages: [] });
      expect(events[0]!.usage).toEqual({ inputTokens: 5, outputTokens: 2 });
    });

    it('all streams share one budget: past it a stream keeps only the prefix it had, and finishing gives the bytes back', () => {
      const piece = Buffer.from(chatChunk('x'.repeat(100)));
      const budget = new KeepBudget(2 * piece.length);
      const start = () => {
        const events: UsageEvent[] = [];
        const usage = new RequestUsage({ record: (event) => events.push(event) }, () => 0, 'openai-chat', 'm', budget);
        usage.targetStarted('p', 'm');
        usage.attemptStarted('k', false);
        return { usage, events, reader: usage.streamReader(codecFor('openai-chat').usage, true, outputCounterFor('openai-chat'))! };
      };
      const first = start();
      const second = start();
      first.reader.push(piece);
      first.reader.push(piece);
      second.reader.push(piece); // the budget is spent: nothing of the second stream is kept
      first.reader.push(piece); // nor a third chunk of the first: its estimate is a lower bound
      expect(budget.used).toBe(2 * piece.length);
      first.usage.finish({ status: 200, aborted: false }, { messages: [] });
      expect(budget.used).toBe(0);
      second.reader.push(piece); // room again, but a stream that missed a chunk keeps nothing more (a gap would not decode)
      expect(budget.used).toBe(0);
      second.usage.finish({ status: 200, aborted: true }, { messages: [] });
      expect(first.events[0]!.estimate!.outputCharacters).toBe(200);
      expect(second.events[0]!.estimate!.outputCharacters).toBe(0);
    });

    it('a whole answer without usage is decoded with its format; one with usage is not', () => {
      const { usage, events, reading, counter } = answered();
      usage.bufferedAnswer(reading, Buffer.from(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'twelve chars' } }] })), false, counter);
      usage.finish({ status: 200, aborted: false }, { messages: [] });
      expect(events[0]!.estimate!.outputCharacters).toBe(12);

      const reported = answered();
      reported.usage.bufferedAnswer(reported.reading, Buffer.from(JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 4 } })), false, untouchable);
      reported.usage.finish({ status: 200, aborted: false }, { messages: [] });
      expect(reported.events[0]!.usage).toEqual({ inputTokens: 3, outputTokens: 4 });
    });

    it('Gemini cut before any candidatesTokenCount: the running prompt count stays, the output is estimated', () => {
      const { usage, events, reading, counter } = answered('gemini');
      const reader = usage.streamReader(reading, true, counter)!;
      reader.push(Buffer.from(`data: ${JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text: 'twenty characters!!!' }] } }], usageMetadata: { promptTokenCount: 50, totalTokenCount: 50 } })}\r\n\r\n`));
      usage.finish({ status: 200, aborted: true }, { contents: [] });
      expect(events[0]).toMatchObject({ usage: { inputTokens: 50 }, estimate: { outputCharacters: 20 } });
      expect(buildUsageRecord(events[0]!, prices)).toMatchObject({ estimated: true, tokens: { inputTokens: 50, outputTokens: 5 } });
    });

    it('a whole answer that arrives as a stream (ChatGPT/Codex) is counted as a stream', () => {
      const { usage, events, reading, counter } = answered('openai-responses');
      const body =
        'event: response.output_item.added\ndata: {"type":"response.output_item.added","output_index":0,"item":{"type":"message","content":[]}}\n\n' +
        'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","output_index":0,"delta":"nine char"}\n\n' +
        'event: response.completed\ndata: {"type":"response.completed","response":{"status":"completed","usage":null}}\n\n';
      usage.bufferedAnswer(reading, Buffer.from(body), true, counter);
      usage.finish({ status: 200, aborted: false }, { input: 'hi' });
      expect(events[0]).toMatchObject({ usage: undefined, estimate: { outputCharacters: 9 } });
    });

    it('an Anthropic whole answer that reports input only: the output is estimated from its content', () => {
      const { usage, events, reading, counter } = answered('anthropic');
      usage.bufferedAnswer(reading, Buffer.from(JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'abcdefgh' }], usage: { input_tokens: 30 } })), false, counter);
      usage.finish({ status: 200, aborted: false }, { messages: [] });
      expect(events[0]).toMatchObject({ usage: { inputTokens: 30 }, estimate: { outputCharacters: 8 } });
      expect(buildUsageRecord(events[0]!, prices)).toMatchObject({ estimated: true, tokens: { inputTokens: 30, outputTokens: 2 } });
    });

    it('without a counter (embeddings, images) the output is not estimated, as before', () => {
      const { usage, events, reading } = answered('anthropic');
      usage.streamReader(reading)!.push(Buffer.from(anthropicStart({ input_tokens: 9, output_tokens: 1 }) + anthropicText('hello')));
      usage.finish({ status: 200, aborted: true }, { messages: [] });
      expect(events[0]!.usage).toEqual({ inputTokens: 9, outputTokens: 1 });
      expect(events[0]!.estimate!.outputCharacters).toBeUndefined();
    });
  });
});
