import { describe, expect, it } from 'vitest';
import { builtinPrices, builtinPriceVersion } from './builtin-prices.ts';
import { computeCost } from './compute-cost.ts';
import { createPriceTable } from './price-table.ts';
import { tokenBreakdown } from './token-breakdown.ts';

const tokens = tokenBreakdown({ inputTokens: 1_000_000, cacheReadTokens: 600_000, cacheWriteTokens: 100_000, outputTokens: 200_000 });

describe('prices and cost', () => {
  it('costs each kind of token at its own price, and says which price version it used', () => {
    const cost = computeCost(createPriceTable(), 'metered', 'anthropic', 'claude-sonnet-4-5', tokens);
    // 300k input x $3 + 600k cache read x $0.30 + 100k cache write x $3.75 + 200k output x $15
    expect(cost.costBasis).toBe('priced');
    expect(cost.costUsd).toBeCloseTo(0.9 + 0.18 + 0.375 + 3, 10);
    expect(cost.priceVersion).toBe(builtinPriceVersion);
  });

  it('an unknown model costs null (unknown), never 0', () => {
    expect(computeCost(createPriceTable(), 'metered', 'local', 'my-own-model', tokens)).toEqual({ costBasis: 'unknown', costUsd: null, priceVersion: null });
    expect(computeCost(createPriceTable(), 'metered', null, null, tokens).costUsd).toBeNull();
  });

  it('subscription accounts are "included" whatever the model', () => {
    expect(computeCost(createPriceTable(), 'subscription', 'anthropic', 'claude-sonnet-4-5', tokens)).toEqual({ costBasis: 'included', costUsd: null, priceVersion: null });
  });

  it('config prices override the shipped ones, per provider first, and carry their own version', () => {
    const table = createPriceTable({ 'claude-sonnet-4-5': { input: 1, output: 2 }, 'work/claude-sonnet-4-5': { input: 10, output: 20, cacheRead: 0, cacheWrite: 0 } });
    const general = table.priceFor('anthropic', 'claude-sonnet-4-5')!;
    expect(general).toMatchObject({ input: 1, output: 2, cacheRead: 1, cacheWrite: 1 });
    expect(general.version).toMatch(/^config-[0-9a-f]{10}$/);
    const scoped = table.priceFor('work', 'claude-sonnet-4-5')!;
    expect(scoped).toMatchObject({ input: 10, cacheRead: 0 });
    expect(scoped.version).not.toBe(general.version);
    // A changed price is a new version, so rows costed before keep saying what they were costed with.
    expect(createPriceTable({ 'claude-sonnet-4-5': { input: 1, output: 3 } }).priceFor(null, 'claude-sonnet-4-5')!.version).not.toBe(general.version);
  });

  it('a dated model name falls back to its undated entry', () => {
    expect(createPriceTable().priceFor('anthropic', 'claude-sonnet-4-5-20250929')).toMatchObject({ input: 3, output: 15 });
    expect(createPriceTable().priceFor('anthropic', 'claude-sonnet-4-5-latest')).toMatchObject({ input: 3 });
  });

  it('every preset model has a shipped price with a source and a date', async () => {
    const { compatiblePresets } = await import('../providers/common/compatible-presets.ts');
    for (const preset of Object.values(compatiblePresets)) {
      for (const model of preset.models) {
        expect(builtinPrices[model], model).toBeDefined();
        expect(builtinPrices[model]!.source).toMatch(/^https:\/\//);
        expect(builtinPrices[model]!.checked).toMatch(/^\d{4}-\d{2}/);
      }
    }
  });
});
