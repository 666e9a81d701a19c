import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sameDigest, secretDigest } from './secret-digest.ts';

describe('secretDigest and sameDigest', () => {
  it('digests a secret as lower-case SHA-256 hex', () => {
    expect(secretDigest('sy-example')).toBe(createHash('sha256').update('sy-example').digest('hex'));
  });

  it('tells the same digest from any other, including a differing last character and another length', () => {
    const known = secretDigest('sy-one');
    expect(sameDigest(known, secretDigest('sy-one'))).toBe(true);
    expect(sameDigest(known, secretDigest('sy-two'))).toBe(false);
    expect(sameDigest(known, `${known.slice(0, -1)}${known.endsWith('0') ? '1' : '0'}`)).toBe(false);
    expect(sameDigest(known, known.slice(0, 32))).toBe(false);
    expect(sameDigest(known, '')).toBe(false);
  });
});
