import type { ProviderType } from '../../../../shared/config/provider-schema.ts';

export interface StartingCombo {
  name: string;
  title: string;
  description: string;
  targets: string[];
}

interface ConnectedProvider {
  id: string;
  type: ProviderType;
  models: string[];
  enabled: boolean;
}

/** Model names vendors use for their smaller, cheaper tiers. */
const cheaperTier = /(mini|nano|flash|haiku|lite|small|8b|3b)/i;
/** Kinds with a free way in: a local model, or Gemini's free tier. */
const freeKinds = new Set<ProviderType>(['ollama', 'gemini']);

function targetsOf(providers: ConnectedProvider[], cheaperFirst: boolean): string[] {
  const all = providers.flatMap((provider) => provider.models.map((model) => ({ target: `${provider.id}/${model}`, cheap: cheaperTier.test(model) })));
  const first = all.filter((entry) => entry.cheap === cheaperFirst);
  const then = all.filter((entry) => entry.cheap !== cheaperFirst);
  return [...first, ...then].map((entry) => entry.target);
}

/**
 * Ready-made combos from what is connected: every model of every enabled provider, in an order that says what matters
 * (quality, cost, free tiers). Each is a plain fallback combo the person can edit later on the Combos screen.
 */
export function startingCombos(providers: ConnectedProvider[]): StartingCombo[] {
  const usable = providers.filter((provider) => provider.enabled && provider.models.length > 0);
  if (usable.length === 0) return [];
  const combos: StartingCombo[] = [
    { name: 'best-first', title: 'Best first, then cheaper', description: 'Each provider’s main models answer; smaller, cheaper ones step in when those are busy or failing.', targets: targetsOf(usable, false) },
    { name: 'cheaper-first', title: 'Cheaper first', description: 'Smaller, cheaper models answer; the strongest step in when those fail.', targets: targetsOf(usable, true) },
  ];
  const free = usable.filter((provider) => freeKinds.has(provider.type));
  if (free.length > 0 && free.length < usable.length) {
    const paid = usable.filter((provider) => !freeKinds.has(provider.type));
    combos.push({ name: 'free-first', title: 'Free tiers first', description: 'Free and local models answer first; paid ones step in when those run out.', targets: [...targetsOf(free, false), ...targetsOf(paid, false)] });
  }
  return combos.filter((combo) => combo.targets.length > 0).map((combo) => ({ ...combo, targets: [...new Set(combo.targets)].slice(0, 50) }));
}
