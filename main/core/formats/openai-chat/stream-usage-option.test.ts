import { describe, expect, it } from 'vitest';
import { createUsageChunkStripper, withStreamUsage } from './stream-usage-option.ts';

describe('stream usage option', () => {
  it('adds include_usage to a streamed request that lacks it, keeping its other stream options', () => {
    const original = { model: 'm', stream: true, stream_options: { include_obfuscation: false } };
    const { body, added } = withStreamUsage(original);
    expect(added).toBe(true);
    expect(body.stream_options).toEqual({ include_obfuscation: false, include_usage: true });
    expect(original.stream_options).toEqual({ include_obfuscation: false });
  });

  it('leaves requests that asked already, or do not stream, alone', () => {
    const asked = { stream: true, stream_options: { include_usage: true } };
    expect(withStreamUsage(asked)).toEqual({ body: asked, added: false });
    const whole = { stream: false };
    expect(withStreamUsage(whole)).toEqual({ body: whole, added: false });
  });

  const stream = [
    'data: {"id":"c","choices":[{"index":0,"delta":{"content":"a \\"usage\\" word"}}],"usage":null}\n\n',
    'data: {"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}\n\n',
    'data: {"id":"c","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1}}\n\n',
    'data: [DONE]\n\n',
  ];

  it('strips only the usage-only chunk, however the bytes are split', () => {
    const bytes = Buffer.from(stream.join(''));
    for (const size of [1, 4, 33, 10_000]) {
      const stripper = createUsageChunkStripper();
      const out: Buffer[] = [];
      for (let start = 0; start < bytes.length; start += size) out.push(stripper.push(bytes.subarray(start, start + size)));
      out.push(stripper.end());
      expect(Buffer.concat(out).toString(), `size ${size}`).toBe(stream[0]! + stream[1]! + stream[3]!);
    }
  });

  it('keeps a chunk that carries usage together with choices, and CRLF-framed events', () => {
    const mixed = 'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":3}}\r\n\r\ndata: [DONE]\r\n\r\n';
    const stripper = createUsageChunkStripper();
    expect(stripper.push(Buffer.from(mixed)).toString() + stripper.end().toString()).toBe(mixed);
  });
});
