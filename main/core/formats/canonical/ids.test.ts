import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';

describe('newId', () => {
  it('gives distinct ids of a fixed shape', () => {
    const ids = Array.from({ length: 10_000 }, () => newId('msg_'));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^msg_[0-9a-f]{24}$/);
  });
});
