// The CodeWhisperer answer decoder: frames with both CRCs checked, the same Anthropic stream however the bytes are
// split, and an error event (never text) for damaged or cut-off answers and exception frames.
import { describe, expect, it } from 'vitest';
import { answerEvent, answerEvents, encodeEventMessage, exceptionEvent } from '../../../../test/helpers/fake-accounts/fake-aws-event-stream.ts';
import { collectKiroAnswer, createKiroSseDecoder } from './kiro-event-stream.ts';
import { FrameReader } from './event-stream-frames.ts';
import { kiroUsage } from './kiro-usage.ts';

/** A recorded answer: reasoning, text, two tool calls whose fragments interleave, usage and credits. */
function recordedAnswer(): Buffer {
  let next = 0;
  const events = answerEvents({ reasoning: 'Think first.', text: 'Checking the weather in two cities — ünïcødé too.', inputTokens: 30, outputTokens: 11 }, () => `tooluse_${++next}`);
  const tail = events.splice(-3);
  events.push(
    answerEvent('toolUseEvent', { toolUseId: 'tooluse_a', name: 'get_weather', input: '{"city":' }),
    answerEvent('toolUseEvent', { toolUseId: 'tooluse_b', name: 'get_time', input: '{"zone":"Europe/' }),
    answerEvent('toolUseEvent', { toolUseId: 'tooluse_a', name: 'get_weather', input: '"Paris"}' }),
    answerEvent('toolUseEvent', { toolUseId: 'tooluse_a', name: 'get_weather', stop: true }),
    answerEvent('toolUseEvent', { toolUseId: 'tooluse_b', name: 'get_time', input: 'Paris"}', stop: true }),
    ...tail,
  );
  return Buffer.concat(events);
}

const stableIds = (sse: string) => sse.replace(/msg_kiro_[0-9a-f]+/g, 'msg_kiro_ID');

function decodeInPieces(bytes: Buffer, cuts: number[]): string {
  const decoder = createKiroSseDecoder('claude-sonnet-4.5');
  let out = '';
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    out += decoder.push(bytes.subarray(from, cut));
    from = cut;
  }
  return stableIds(out + decoder.end());
}

function events(sse: string): Array<Record<string, unknown>> {
  return sse
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
}

describe('the CodeWhisperer event stream', () => {
  const bytes = recordedAnswer();
  const whole = decodeInPieces(bytes, []);

  it('becomes an Anthropic stream: thinking, text, one tool_use per toolUseId with its fragments joined, usage', () => {
    const decoded = events(whole);
    expect(decoded[0]).toMatchObject({ type: 'message_start', message: { role: 'assistant', model: 'claude-sonnet-4.5' } });
    const starts = decoded.filter((event) => event.type === 'content_block_start').map((event) => event.content_block);
    expect(starts).toEqual([
      { type: 'thinking', thinking: '', signature: '' },
      { type: 'text', text: '' },
      { type: 'tool_use', id: 'tooluse_a', name: 'get_weather', input: {} },
      { type: 'tool_use', id: 'tooluse_b', name: 'get_time', input: {} },
    ]);
    const message = collectKiroAnswer(bytes, 'claude-sonnet-4.5');
    expect('message' in message && message.message).toMatchObject({
      stop_reason: 'tool_use',
      usage: { input_tokens: 30, output_tokens: 11 },
      content: [
        { type: 'thinking', thinking: 'Think first.', signature: 'fake-signature-not-real' },
        { type: 'text', text: 'Checking the weather in two cities — ünïcødé too.' },
        { type: 'tool_use', id: 'tooluse_a', name: 'get_weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'tooluse_b', name: 'get_time', input: { zone: 'Europe/Paris' } },
      ],
    });
    expect(decoded.at(-1)).toEqual({ type: 'message_stop' });
  });

  it('gives identical output when split at every byte boundary (one cut and two cuts)', () => {
    expect(bytes.length).toBeGreaterThan(500);
    for (let cut = 1; cut < bytes.length; cut += 1) expect(decodeInPieces(bytes, [cut])).toBe(whole);
    // Two cuts: every first cut with a second cut a prime stride later, bounded in count.
    for (let first = 1; first < bytes.length; first += 3) {
      const second = Math.min(bytes.length - 1, first + 1 + ((first * 7919) % 97));
      if (second > first) expect(decodeInPieces(bytes, [first, second])).toBe(whole);
    }
    // One byte at a time.
    expect(decodeInPieces(bytes, Array.from({ length: bytes.length - 1 }, (_, index) => index + 1))).toBe(whole);
  });

  it('reads the same usage for the ledger however the bytes are split', () => {
    for (let cut = 1; cut < bytes.length; cut += 5) {
      const reader = kiroUsage.createStreamReader();
      reader.push(bytes.subarray(0, cut));
      reader.push(bytes.subarray(cut));
      expect(reader.usage()).toEqual({ inputTokens: 30, outputTokens: 11, cacheReadTokens: 0, cacheWriteTokens: 0 });
    }
  });

  it.each([
    ['prelude CRC', 9, /prelude CRC/],
    ['message CRC', -2, /message CRC/],
    ['payload byte (caught by the message CRC)', 40, /message CRC/],
    ['total length (caught by the prelude CRC)', 2, /prelude CRC/],
  ])('a damaged %s ends the stream with an error event, never the damaged text', (_name, offset, pattern) => {
    const good = answerEvent('assistantResponseEvent', { content: 'first part ' });
    const damaged = Buffer.from(answerEvent('assistantResponseEvent', { content: 'GARBAGE-TEXT' }));
    const at = offset < 0 ? damaged.length + offset : offset;
    damaged[at] = damaged[at]! ^ 0xff;
    const sse = decodeInPieces(Buffer.concat([good, damaged, answerEvent('assistantResponseEvent', { content: 'after' })]), []);
    const decoded = events(sse);
    expect(decoded.at(-1)).toMatchObject({ type: 'error', error: { type: 'api_error', message: expect.stringMatching(pattern) } });
    expect(sse).not.toContain('GARBAGE');
    expect(sse).not.toContain('after');
    expect(sse).not.toContain('message_stop');
    const collected = collectKiroAnswer(Buffer.concat([good, damaged]), 'm');
    expect('failure' in collected && collected.failure.message).toMatch(pattern);
  });

  it('an answer cut off in the middle of an event is an error, not a short answer', () => {
    const cut = bytes.subarray(0, bytes.length - 10);
    expect(events(decodeInPieces(cut, [])).at(-1)).toMatchObject({ type: 'error', error: { message: expect.stringContaining('ended in the middle of an event') } });
  });

  it('an exception frame becomes an error event with a status that fits it', () => {
    const sse = decodeInPieces(Buffer.concat([answerEvent('assistantResponseEvent', { content: 'partial' }), exceptionEvent('ThrottlingException', 'Too many requests, slow down')]), []);
    expect(events(sse).at(-1)).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'kiro: ThrottlingException: Too many requests, slow down' } });
  });

  it('the frame reader decodes string headers and refuses a prelude whose CRC does not hold', () => {
    const reader = new FrameReader();
    const [frame] = reader.push(encodeEventMessage({ ':event-type': 'x' }, '{}'));
    expect(frame!.headers).toEqual({ ':event-type': 'x' });
    const bogus = Buffer.alloc(12);
    bogus.writeUInt32BE(8, 0);
    expect(() => new FrameReader().push(bogus)).toThrow(/CRC|length/);
  });
});
