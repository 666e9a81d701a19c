import { describe, expect, it } from 'vitest';
import { BoundedBytes } from './bounded-bytes.ts';

describe('BoundedBytes', () => {
  it('keeps chunks up to the cap, cuts the one that crosses it, and only counts the rest', () => {
    const bytes = new BoundedBytes(10);
    bytes.push('abcd');
    bytes.push(Buffer.from('efghij-cut'));
    bytes.push('never kept');
    expect(bytes.text()).toBe('abcdefghij');
    expect(bytes.size).toBe(10);
    expect(bytes.omitted).toBe(4 + 10);
  });

  it('counts bytes, not characters: a multi-byte character cut by the cap becomes U+FFFD', () => {
    const bytes = new BoundedBytes(5);
    bytes.push('ab€'); // 2 + 3 bytes
    bytes.push('€');
    expect(bytes.text()).toBe('ab€');
    expect(bytes.omitted).toBe(3);
    const cut = new BoundedBytes(4);
    cut.push('ab€');
    expect(cut.text()).toBe('ab\uFFFD');
    expect(cut.omitted).toBe(1);
  });

  it('a cap of 0 keeps nothing', () => {
    const bytes = new BoundedBytes(0);
    bytes.push('x');
    expect(bytes.text()).toBe('');
    expect(bytes.omitted).toBe(1);
  });
});
