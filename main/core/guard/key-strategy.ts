import type { KeyStrategy } from '../../../shared/config/guard-schema.ts';
import type { KeyRuntime } from './key-runtime.ts';

export interface StrategyState {
  /** Round-robin: index (in the provider's key list) from which the next search starts. */
  cursor: number;
}

/**
 * Picks one key among `candidates` (the keys usable right now, in config order, never empty).
 * - round-robin: the next usable key after the last one picked.
 * - random: uniform.
 * - weighted: smooth weighted round-robin over the keys' weights, so shares are exact and bursts are spread
 *   (a key with weight 3 next to one with weight 1 is used a, a, b, a, not a, a, a, b). Weight 0 keys are used only
 *   when nothing else is usable.
 * - fill-first: the first usable key in config order; the next one only when it is busy, cooling or over a limit.
 * - least-used: fewest sends in flight, then fewest sends so far, then config order.
 */
export function pickKey(strategy: KeyStrategy, candidates: readonly KeyRuntime[], state: StrategyState, random: () => number): KeyRuntime {
  switch (strategy) {
    case 'round-robin':
      return pickRoundRobin(candidates, state);
    case 'random':
      return candidates[Math.min(candidates.length - 1, Math.floor(random() * candidates.length))]!;
    case 'weighted':
      return pickWeighted(candidates);
    case 'fill-first':
      return candidates[0]!;
    case 'least-used':
      return pickLeastUsed(candidates);
  }
}

function pickRoundRobin(candidates: readonly KeyRuntime[], state: StrategyState): KeyRuntime {
  let picked = candidates[0]!;
  for (const candidate of candidates) {
    if (candidate.index >= state.cursor) {
      picked = candidate;
      break;
    }
  }
  state.cursor = picked.index + 1;
  return picked;
}

function pickWeighted(candidates: readonly KeyRuntime[]): KeyRuntime {
  const weighted = candidates.filter((candidate) => candidate.weight > 0);
  const pool = weighted.length > 0 ? weighted : candidates;
  let total = 0;
  let best = pool[0]!;
  for (const candidate of pool) {
    const weight = weighted.length > 0 ? candidate.weight : 1;
    candidate.currentWeight += weight;
    total += weight;
    if (candidate.currentWeight > best.currentWeight) best = candidate;
  }
  best.currentWeight -= total;
  return best;
}

function pickLeastUsed(candidates: readonly KeyRuntime[]): KeyRuntime {
  let best = candidates[0]!;
  for (const candidate of candidates) {
    if (candidate.inFlight < best.inFlight || (candidate.inFlight === best.inFlight && candidate.requests < best.requests)) best = candidate;
  }
  return best;
}
