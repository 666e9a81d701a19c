import { describe, expect, it } from 'vitest';
import { usageEvent } from '../../../test/helpers/usage-events.ts';
import { buildUsageRecord } from './build-usage-record.ts';
import { estimateInputTokens } from '../formats/estimate-tokens.ts';
import { createPriceTable } from './price-table.ts';

const prices = createPriceTable({});
const requestBody = { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'x'.repeat(400) }] };

describe('buildUsageRecord: estimated rows', () => {
  it('nothing reported: input from the request, output from the characters received, marked estimated', () => {
    const record = buildUsageRecord(usageEvent({ usage: undefined, estimate: { clientFormat: 'anthropic', requestBody, outputCharacters: 81 } }), prices);
    expect(record.estimated).toBe(true);
    expect(record.tokens).toMatchObject({ inputTokens: estimateInputTokens('anthropic', requestBody), outputTokens: 21 });
  });

  it('input reported, output missing: the reported figures stay and only the output is estimated', () => {
    const record = buildUsageRecord(usageEvent({ usage: { inputTokens: 700, cacheReadTokens: 600, cacheWriteTokens: 50 }, estimate: { clientFormat: 'anthropic', requestBody, outputCharacters: 10 } }), prices);
    expect(record.estimated).toBe(true);
    expect(record.tokens).toEqual({ inputTokens: 50, cacheReadTokens: 600, cacheWriteTokens: 50, outputTokens: 3, reasoningTokens: 0 });
  });

  it('a reported output is never replaced or added to, whatever characters came with it', () => {
    const record = buildUsageRecord(usageEvent({ usage: { inputTokens: 7, outputTokens: 2 }, estimate: { clientFormat: 'anthropic', requestBody, outputCharacters: 4000 } }), prices);
    expect(record).toMatchObject({ estimated: false, tokens: { inputTokens: 7, outputTokens: 2 } });
  });

  it('input reported, output missing and unknown (a wire that cannot be decoded): the figures as reported, not estimated', () => {
    const record = buildUsageRecord(usageEvent({ usage: { inputTokens: 7 }, estimate: { clientFormat: 'anthropic', requestBody } }), prices);
    expect(record).toMatchObject({ estimated: false, tokens: { inputTokens: 7, outputTokens: 0 } });
  });
});
