// Which price applies to a row: the config's `usage.prices` first ("provider/model", then "model"), then the shipped
// table. A model name with a dated suffix ("claude-sonnet-4-5-20250929") falls back to its undated entry. No entry:
// no price, and the cost is unknown rather than 0.
import { createHash } from 'node:crypto';
import type { ModelPrice } from '../../../shared/config/usage-schema.ts';
import { builtinPrices, builtinPriceVersion } from './builtin-prices.ts';

export interface ResolvedPrice {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** Stored with each row: `builtin-<date>` or `config-<hash of the entry>`, so a changed price is a new version. */
  version: string;
}

export interface PriceTable {
  priceFor(provider: string | null, model: string): ResolvedPrice | undefined;
}

function fromConfig(price: ModelPrice): ResolvedPrice {
  const filled = { input: price.input, output: price.output, cacheRead: price.cacheRead ?? price.input, cacheWrite: price.cacheWrite ?? price.input };
  const hash = createHash('sha256').update(JSON.stringify(filled)).digest('hex').slice(0, 10);
  return { ...filled, version: `config-${hash}` };
}

/** The model name without a trailing date (`-20250929`, `-2025-09-29`) or `-latest`. */
function undated(model: string): string {
  return model.replace(/-(\d{8}|\d{4}-\d{2}-\d{2}|latest)$/, '');
}

export function createPriceTable(overrides: Record<string, ModelPrice> = {}): PriceTable {
  const configured = new Map(Object.entries(overrides).map(([name, price]) => [name, fromConfig(price)]));
  const lookup = (name: string): ResolvedPrice | undefined => {
    const override = configured.get(name);
    if (override) return override;
    const builtin = builtinPrices[name];
    return builtin ? { input: builtin.input, output: builtin.output, cacheRead: builtin.cacheRead, cacheWrite: builtin.cacheWrite, version: builtinPriceVersion } : undefined;
  };
  const resolve = (provider: string | null, model: string): ResolvedPrice | undefined => {
    const names = [model, undated(model)];
    for (const name of names) {
      const scoped = provider === null ? undefined : configured.get(`${provider}/${name}`);
      if (scoped) return scoped;
    }
    for (const name of names) {
      const found = lookup(name);
      if (found) return found;
    }
    return undefined;
  };
  // The table never changes, and a ledger prices the same few provider/model pairs over and over: each pair is
  // resolved once (bounded, so model names a client makes up cannot grow it without end).
  const resolved = new Map<string, Map<string, ResolvedPrice | undefined>>();
  let remembered = 0;
  return {
    priceFor(provider, model) {
      let byModel = resolved.get(provider ?? '');
      const known = byModel?.get(model);
      if (known !== undefined || byModel?.has(model)) return known;
      const price = resolve(provider, model);
      if (remembered >= 1000) {
        resolved.clear();
        remembered = 0;
        byModel = undefined;
      }
      if (!byModel) resolved.set(provider ?? '', (byModel = new Map()));
      byModel.set(model, price);
      remembered += 1;
      return price;
    },
  };
}
