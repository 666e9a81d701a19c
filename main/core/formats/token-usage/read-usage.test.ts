import { describe, expect, it } from 'vitest';
import type { WireFormat } from '../../../../shared/wire-format.ts';
import { tokenBreakdown, totalTokens } from '../../usage/token-breakdown.ts';
import { codecFor } from '../codecs.ts';

// One answer per format with the same real figures: a 1000-token prompt of which 600 were read from the cache and
// 100 written to it, and 80 generated tokens of which 30 were reasoning. Each vendor writes them its own way; the
// ledger's breakdown must come out identical, with no token counted twice or dropped.
const expected = { inputTokens: 300, cacheReadTokens: 600, cacheWriteTokens: 100, outputTokens: 80, reasoningTokens: 30 };

interface Case {
  body: Record<string, unknown>;
  stream: string;
  /** The vendor's own grand total, to prove the breakdown adds up to it. */
  vendorTotal: number;
  /** A stream cut after its first usage report, and what that report said. */
  cutAfter: string;
  cutUsage: Partial<typeof expected>;
}

const anthropicStart = 'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","usage":{"input_tokens":300,"cache_creation_input_tokens":100,"cache_read_input_tokens":600,"output_tokens":1,"service_tier":"standard","cache_creation":{"ephemeral_5m_input_tokens":100,"ephemeral_1h_input_tokens":0}}}}\n\n';
const cases: Record<WireFormat, Case> = {
  anthropic: {
    // Anthropic: input_tokens excludes cache reads and writes; output_tokens includes thinking (not reported apart).
    body: { id: 'msg_1', type: 'message', content: [], usage: { input_tokens: 300, cache_creation_input_tokens: 100, cache_read_input_tokens: 600, output_tokens: 80 } },
    stream:
      anthropicStart +
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"the \\"usage\\": {\\"output_tokens\\": 9999} field"}}\n\n' +
      'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":80}}\n\n' +
      'event: message_stop\ndata: {"type":"message_stop"}\n\n',
    vendorTotal: 300 + 100 + 600 + 80,
    cutAfter: anthropicStart,
    cutUsage: { inputTokens: 300, cacheReadTokens: 600, cacheWriteTokens: 100, outputTokens: 1 },
  },
  'openai-chat': {
    // OpenAI: prompt_tokens includes cached_tokens (and cache_write_tokens where a host reports them);
    // completion_tokens includes reasoning_tokens.
    body: {
      choices: [],
      usage: { prompt_tokens: 1000, completion_tokens: 80, total_tokens: 1080, prompt_tokens_details: { cached_tokens: 600, cache_write_tokens: 100 }, completion_tokens_details: { reasoning_tokens: 30 } },
    },
    stream:
      'data: {"id":"c1","choices":[{"index":0,"delta":{"content":"hi"}}],"usage":null}\n\n' +
      'data: {"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}\n\n' +
      'data: {"id":"c1","choices":[],"usage": {"prompt_tokens":1000,"completion_tokens":80,"total_tokens":1080,"prompt_tokens_details":{"cached_tokens":600,"cache_write_tokens":100},"completion_tokens_details":{"reasoning_tokens":30}}}\n\n' +
      'data: [DONE]\n\n',
    vendorTotal: 1080,
    cutAfter: 'data: {"id":"c1","choices":[{"index":0,"delta":{"content":"hi"}}],"usage":null}\n\n',
    cutUsage: {},
  },
  'openai-responses': {
    body: { id: 'resp_1', output: [], usage: { input_tokens: 1000, input_tokens_details: { cached_tokens: 600, cache_write_tokens: 100 }, output_tokens: 80, output_tokens_details: { reasoning_tokens: 30 }, total_tokens: 1080 } },
    stream:
      'event: response.created\ndata: {"type":"response.created","response":{"id":"resp_1","status":"in_progress","usage":null}}\n\n' +
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"hi"}\n\n' +
      'event: response.completed\ndata: {"type":"response.completed","response":{"id":"resp_1","status":"completed","output":[{"type":"message","content":[{"type":"output_text","text":"{\\"usage\\":{}}"}]}],"usage":{"input_tokens":1000,"input_tokens_details":{"cached_tokens":600,"cache_write_tokens":100},"output_tokens":80,"output_tokens_details":{"reasoning_tokens":30},"total_tokens":1080}}}\n\n',
    vendorTotal: 1080,
    cutAfter: 'event: response.created\ndata: {"type":"response.created","response":{"id":"resp_1","status":"in_progress","usage":null}}\n\n',
    cutUsage: {},
  },
  gemini: {
    // Gemini: promptTokenCount includes cachedContentTokenCount; candidatesTokenCount excludes thoughtsTokenCount.
    // Gemini reports no cache writes, so its case writes none and reads 700.
    body: { candidates: [], usageMetadata: { promptTokenCount: 1000, cachedContentTokenCount: 700, candidatesTokenCount: 50, thoughtsTokenCount: 30, totalTokenCount: 1080 } },
    stream:
      'data: {"candidates":[{"content":{"parts":[{"text":"hi"}]}}],"usageMetadata":{"promptTokenCount":1000,"cachedContentTokenCount":700,"totalTokenCount":1000}}\r\n\r\n' +
      'data: {"candidates":[{"content":{"parts":[{"text":"!"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":1000,"cachedContentTokenCount":700,"candidatesTokenCount":50,"thoughtsTokenCount":30,"totalTokenCount":1080}}\r\n\r\n',
    vendorTotal: 1080,
    cutAfter: 'data: {"candidates":[{"content":{"parts":[{"text":"hi"}]}}],"usageMetadata":{"promptTokenCount":1000,"cachedContentTokenCount":700,"totalTokenCount":1000}}\r\n\r\n',
    cutUsage: { inputTokens: 300, cacheReadTokens: 700, outputTokens: 0 },
  },
};

const expectedFor = (format: WireFormat) => (format === 'gemini' ? { ...expected, cacheReadTokens: 700, cacheWriteTokens: 0 } : format === 'anthropic' ? { ...expected, reasoningTokens: 0 } : expected);

function readStream(format: WireFormat, text: string, chunkSize: number) {
  const reader = codecFor(format).usage.createStreamReader();
  const bytes = Buffer.from(text);
  for (let start = 0; start < bytes.length; start += chunkSize) reader.push(bytes.subarray(start, start + chunkSize));
  return reader.usage();
}

describe('usage readers', () => {
  for (const [format, example] of Object.entries(cases) as [WireFormat, Case][]) {
    describe(format, () => {
      it('a complete answer: the breakdown matches and adds up to the vendor total', () => {
        const tokens = tokenBreakdown(codecFor(format).usage.fromBody(example.body)!);
        expect(tokens).toEqual(expectedFor(format));
        expect(totalTokens(tokens)).toBe(example.vendorTotal);
      });

      it('a stream, split at every possible size: the same breakdown, never text that only mentions usage', () => {
        for (const chunkSize of [1, 2, 3, 7, 13, 64, 100_000]) {
          const tokens = tokenBreakdown(readStream(format, example.stream, chunkSize)!);
          expect(tokens, `chunks of ${chunkSize}`).toEqual(expectedFor(format));
          expect(totalTokens(tokens)).toBe(example.vendorTotal);
        }
      });

      it('an aborted stream gives what had arrived', () => {
        const usage = readStream(format, example.cutAfter, 5);
        if (Object.keys(example.cutUsage).length === 0) expect(usage).toBeUndefined();
        else expect(tokenBreakdown(usage!)).toMatchObject(example.cutUsage);
      });

      it('a body or stream without usage reports nothing (the ledger then estimates)', () => {
        expect(codecFor(format).usage.fromBody({ id: 'x' })).toBeUndefined();
        expect(codecFor(format).usage.fromBody('not json')).toBeUndefined();
        expect(readStream(format, 'data: {"id":"x"}\n\n', 4)).toBeUndefined();
      });
    });
  }

  it('a malformed usage object is skipped, and a later good report still counts', () => {
    const stream = 'data: {"usage":{"prompt_tokens":}}\n\ndata: {"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2}}\n\n';
    expect(readStream('openai-chat', stream, 3)).toEqual({ inputTokens: 5, outputTokens: 2 });
  });

  it('OpenAI-compatible hosts that name cache hits their own way (DeepSeek, Moonshot) are not billed as fresh input', () => {
    const deepseek = { usage: { prompt_tokens: 1000, completion_tokens: 80, prompt_cache_hit_tokens: 600, prompt_cache_miss_tokens: 400, completion_tokens_details: { reasoning_tokens: 30 } } };
    expect(tokenBreakdown(codecFor('openai-chat').usage.fromBody(deepseek)!)).toEqual({ inputTokens: 400, cacheReadTokens: 600, cacheWriteTokens: 0, outputTokens: 80, reasoningTokens: 30 });
    const moonshot = { usage: { prompt_tokens: 1000, completion_tokens: 80, cached_tokens: 700 } };
    expect(tokenBreakdown(codecFor('openai-chat').usage.fromBody(moonshot)!)).toMatchObject({ inputTokens: 300, cacheReadTokens: 700 });
  });

  it('Responses: usage of an incomplete or failed response counts like a completed one', () => {
    for (const type of ['response.incomplete', 'response.failed']) {
      const stream = `event: ${type}\ndata: {"type":"${type}","response":{"status":"incomplete","usage":{"input_tokens":20,"output_tokens":3,"output_tokens_details":{"reasoning_tokens":1}}}}\n\n`;
      expect(readStream('openai-responses', stream, 9)).toEqual({ inputTokens: 20, outputTokens: 3, reasoningTokens: 1 });
    }
  });

  it("Anthropic: the output count is final only once a report follows message_start's placeholder", () => {
    const reader = codecFor('anthropic').usage.createStreamReader();
    reader.push(Buffer.from(anthropicStart));
    expect(reader.usage()).toMatchObject({ outputTokens: 1 });
    expect(reader.outputFinal?.()).toBe(false);
    reader.push(Buffer.from('event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":80}}\n\n'));
    expect(reader.outputFinal?.()).toBe(true);
    // Formats whose reports are all real counts say nothing.
    expect(codecFor('openai-chat').usage.createStreamReader().outputFinal).toBeUndefined();
  });

  it('Anthropic: a message_delta that repeats input fields overrides them field by field', () => {
    const stream = anthropicStart + 'event: message_delta\ndata: {"type":"message_delta","usage":{"input_tokens":310,"cache_read_input_tokens":600,"cache_creation_input_tokens":100,"output_tokens":80}}\n\n';
    expect(tokenBreakdown(readStream('anthropic', stream, 11)!)).toEqual({ ...expected, inputTokens: 310, reasoningTokens: 0 });
  });
});
