/** What the weight fields hold: the text typed, so a half-typed number is not thrown away. */
export type WeightDrafts = Record<string, string>;

export function draftsOf(weights: Readonly<Record<string, number>>): WeightDrafts {
  return Object.fromEntries(Object.entries(weights).map(([target, weight]) => [target, String(weight)]));
}

/** The weight a field means: empty is the default of 1; undefined when the text is not a weight. */
export function weightOf(draft: string | undefined): number | undefined {
  const text = (draft ?? '').trim();
  if (text === '') return 1;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Each target's share of first picks, in whole percent ("75%"), or '' when every weight is 0. */
export function shareOf(target: string, targets: readonly string[], drafts: WeightDrafts): string {
  const total = targets.reduce((sum, candidate) => sum + (weightOf(drafts[candidate]) ?? 0), 0);
  const own = weightOf(drafts[target]) ?? 0;
  return total > 0 ? `${Math.round((own / total) * 100)}%` : '';
}

/**
 * The `weights` argument of combos.save, or the first target whose field is not a weight. Weights of 1 are left out
 * (1 is the default), so a combo saved without touching the fields keeps plain targets.
 */
export function weightsToSave(targets: readonly string[], drafts: WeightDrafts): { weights: Record<string, number> } | { invalid: string } {
  const weights: Record<string, number> = {};
  for (const target of targets) {
    const weight = weightOf(drafts[target]);
    if (weight === undefined) return { invalid: target };
    if (weight !== 1) weights[target] = weight;
  }
  return { weights };
}
