import { describe, expect, it } from 'vitest';
import { tokenBreakdown } from '../../usage/token-breakdown.ts';
import { ollamaNativeUsage } from './read-usage.ts';

const lines = [
  '{"model":"qwen3","created_at":"2026-01-01T00:00:00Z","message":{"role":"assistant","content":"\\"done\\":true is text"},"done":false}',
  '{"model":"qwen3","created_at":"2026-01-01T00:00:01Z","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"total_duration":100,"prompt_eval_count":26,"prompt_eval_duration":5,"eval_count":298,"eval_duration":90}',
];

describe('Ollama native usage', () => {
  it('a complete answer: prompt_eval_count is the input, eval_count the output', () => {
    expect(tokenBreakdown(ollamaNativeUsage.fromBody(JSON.parse(lines[1]!))!)).toEqual({ inputTokens: 26, outputTokens: 298, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    expect(ollamaNativeUsage.fromBody({ done: false })).toBeUndefined();
  });

  it('an NDJSON stream split anywhere, with or without a final newline', () => {
    for (const ending of ['\n', '']) {
      const bytes = Buffer.from(lines.join('\n') + ending);
      for (const size of [1, 5, 17, 1000]) {
        const reader = ollamaNativeUsage.createStreamReader();
        for (let start = 0; start < bytes.length; start += size) reader.push(bytes.subarray(start, start + size));
        expect(reader.usage(), `size ${size}`).toEqual({ inputTokens: 26, outputTokens: 298 });
      }
    }
  });

  it('a stream cut before the final line reports nothing', () => {
    const reader = ollamaNativeUsage.createStreamReader();
    reader.push(Buffer.from(`${lines[0]}\n`));
    expect(reader.usage()).toBeUndefined();
  });
});
