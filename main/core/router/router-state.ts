/**
 * The little state routing needs besides the config: a turn counter per round-robin combo and a random source for
 * weighted combos. The engine owns one for its lifetime (it survives config reloads and combo switches); tests pass
 * a deterministic one, so the router itself stays a pure function of its inputs.
 */
export interface RouterState {
  /** The next turn of a round-robin combo with `size` entries: 0, 1, ..., size-1, 0, ... */
  nextTurn(combo: string, size: number): number;
  /** A number in [0, 1). */
  random(): number;
}

export function createRouterState(random: () => number = Math.random): RouterState {
  const turns = new Map<string, number>();
  return {
    nextTurn(combo, size) {
      const turn = turns.get(combo) ?? 0;
      turns.set(combo, (turn + 1) % 1_000_000_007);
      return size > 0 ? turn % size : 0;
    },
    random,
  };
}

/** A state for dry runs (management "resolve" preview): never advances, never random. */
export const previewRouterState: RouterState = { nextTurn: () => 0, random: () => 0 };
