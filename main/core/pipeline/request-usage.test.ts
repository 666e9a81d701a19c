import { describe, expect, it } from 'vitest';
import { ProxyError } from '../errors/proxy-error.ts';
import { codecFor } from '../formats/codecs.ts';
import type { UsageEvent } from '../usage/build-usage-record.ts';
import { RequestUsage, routeOf } from './request-usage.ts';

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
});
