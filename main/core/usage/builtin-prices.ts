// Prices shipped with Switchyard, US dollars per million tokens, for the models the presets list and Anthropic's
// current models. Each entry names its source and whether the figure was read on the vendor's own page
// (`confirmed`) or only in third-party copies of it. Switchyard could not browse the vendors' sites when this table
// was written; docs/usage.md "Prices" lists every figure with its date and source. Users override or add prices
// with `usage.prices` in the config.
import type { ModelPrice } from '../../../shared/config/usage-schema.ts';

/** Rows costed with this table say so, so a later table never silently re-prices history. */
export const builtinPriceVersion = 'builtin-2026-12-03';

export interface BuiltinPrice extends Required<ModelPrice> {
  source: string;
  /** When the figure was read (in the source or a dated copy of it). */
  checked: string;
  confirmed: boolean;
}

const anthropicPage = 'https://platform.claude.com/docs/en/about-claude/pricing';
const deepseekPage = 'https://api-docs.deepseek.com/quick_start/pricing';
const zaiPage = 'https://docs.z.ai/guides/overview/pricing';
const moonshotPage = 'https://platform.moonshot.ai/docs/pricing/chat';
const minimaxPage = 'https://platform.minimax.io/docs/guides/pricing-paygo';

const anthropic = (input: number, output: number, confirmed: boolean): BuiltinPrice => ({
  // Cache writes: the 5-minute rate (1.25x input); the 1-hour rate (2x) is not told apart by the usage fields.
  input, output, cacheRead: input / 10, cacheWrite: input * 1.25, source: anthropicPage, checked: '2026-10', confirmed,
});

export const builtinPrices: Readonly<Record<string, BuiltinPrice>> = {
  'claude-opus-4-5': anthropic(5, 25, true),
  'claude-opus-4-6': anthropic(5, 25, true),
  'claude-opus-4-7': anthropic(5, 25, true),
  'claude-opus-4-8': anthropic(5, 25, true),
  'claude-opus-5': anthropic(5, 25, true),
  'claude-sonnet-4-5': anthropic(3, 15, false),
  'claude-haiku-4-5': anthropic(1, 5, false),
  // DeepSeek bills peak (01:00-04:00 and 06:00-10:00 UTC on weekdays) and off-peak (half) since 2026-08-16. The
  // ledger has no time-of-day prices yet, so these are the peak rates: an upper bound. DeepSeek bills no cache writes.
  'deepseek-v4-flash': { input: 0.3, output: 1.2, cacheRead: 0.006, cacheWrite: 0.3, source: deepseekPage, checked: '2026-10-27', confirmed: true },
  'deepseek-flash': { input: 0.3, output: 1.2, cacheRead: 0.006, cacheWrite: 0.3, source: deepseekPage, checked: '2026-10-27', confirmed: true },
  'deepseek-v4-pro': { input: 1.32, output: 3.96, cacheRead: 0.044, cacheWrite: 1.32, source: deepseekPage, checked: '2026-10-27', confirmed: true },
  // Z.ai international, in USD; BigModel (mainland China) bills in CNY and may differ. Cache storage is free.
  'glm-4.7': { input: 0.6, output: 2.2, cacheRead: 0.11, cacheWrite: 0, source: zaiPage, checked: '2026-06', confirmed: false },
  'glm-4.6': { input: 0.6, output: 2.2, cacheRead: 0.11, cacheWrite: 0, source: zaiPage, checked: '2026-06', confirmed: false },
  'glm-4.5-air': { input: 0.2, output: 1.1, cacheRead: 0.03, cacheWrite: 0, source: zaiPage, checked: '2026-06', confirmed: false },
  // Moonshot international, in USD; api.moonshot.cn bills in CNY.
  'kimi-k2.6': { input: 0.95, output: 4, cacheRead: 0.16, cacheWrite: 0.95, source: moonshotPage, checked: '2026-06', confirmed: false },
  'kimi-k2.5': { input: 0.6, output: 3, cacheRead: 0.1, cacheWrite: 0.6, source: moonshotPage, checked: '2026-03-26', confirmed: true },
  'MiniMax-M2.7': { input: 0.3, output: 1.2, cacheRead: 0.06, cacheWrite: 0.375, source: minimaxPage, checked: '2026-04', confirmed: false },
  'MiniMax-M2.5': { input: 0.3, output: 1.2, cacheRead: 0.03, cacheWrite: 0.375, source: minimaxPage, checked: '2026-02', confirmed: false },
};
