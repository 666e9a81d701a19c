import { describe, expect, it } from 'vitest';
import type { KeyStrategy } from '../../../shared/config/guard-schema.ts';
import { resolveGuardSettings } from './guard-settings.ts';
import { KeyRuntime } from './key-runtime.ts';
import { pickKey } from './key-strategy.ts';

function keys(weights: number[]): KeyRuntime[] {
  const settings = resolveGuardSettings({});
  return weights.map((weight, index) => {
    const key = new KeyRuntime('p', { id: `k${index}`, secret: `secret-${index}`, enabled: true, weight }, settings, () => {});
    key.index = index;
    return key;
  });
}

function sequence(strategy: KeyStrategy, pool: KeyRuntime[], count: number, random = () => 0.5): string[] {
  const state = { cursor: 0 };
  const picked: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const key = pickKey(strategy, pool, state, random);
    key.requests += 1;
    picked.push(key.id);
  }
  return picked;
}

describe('pickKey', () => {
  it('round-robin walks the keys in order and skips keys that are not candidates', () => {
    const pool = keys([1, 1, 1]);
    expect(sequence('round-robin', pool, 5)).toEqual(['k0', 'k1', 'k2', 'k0', 'k1']);
    const state = { cursor: 1 };
    expect(pickKey('round-robin', [pool[0]!, pool[2]!], state, Math.random).id).toBe('k2');
    expect(pickKey('round-robin', [pool[0]!, pool[2]!], state, Math.random).id).toBe('k0');
  });

  it('weighted gives exact shares, spread out', () => {
    const pool = keys([3, 1]);
    const picked = sequence('weighted', pool, 8);
    expect(picked.filter((id) => id === 'k0')).toHaveLength(6);
    expect(picked.slice(0, 4)).toEqual(['k0', 'k0', 'k1', 'k0']);
  });

  it('weighted uses zero-weight keys only when nothing else is a candidate', () => {
    const pool = keys([0, 2]);
    expect(sequence('weighted', pool, 3)).toEqual(['k1', 'k1', 'k1']);
    expect(pickKey('weighted', [pool[0]!], { cursor: 0 }, Math.random).id).toBe('k0');
  });

  it('fill-first sticks to the first candidate', () => {
    expect(sequence('fill-first', keys([1, 1]), 3)).toEqual(['k0', 'k0', 'k0']);
  });

  it('least-used prefers fewer in flight, then fewer sends', () => {
    const pool = keys([1, 1, 1]);
    pool[0]!.inFlight = 2;
    pool[1]!.requests = 5;
    expect(pickKey('least-used', pool, { cursor: 0 }, Math.random).id).toBe('k2');
    expect(sequence('least-used', keys([1, 1, 1]), 6)).toEqual(['k0', 'k1', 'k2', 'k0', 'k1', 'k2']);
  });

  it('random uses the injected source', () => {
    const pool = keys([1, 1, 1, 1]);
    expect(pickKey('random', pool, { cursor: 0 }, () => 0.99).id).toBe('k3');
    expect(pickKey('random', pool, { cursor: 0 }, () => 0).id).toBe('k0');
  });
});
