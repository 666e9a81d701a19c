import { randomBytes } from 'node:crypto';
import { sameDigest, secretDigest } from '../secrets/secret-digest.ts';

/**
 * One-time sign-in codes for the web dashboard (docs/dashboard.md "Web mode and the token"). A code is 32 random
 * bytes, works once, and expires; `serve` prints a link with one in its fragment. Only digests are kept.
 */
export class WebSessionCodes {
  readonly #codes = new Map<string, number>();
  readonly #now: () => number;
  readonly #ttlMs: number;

  constructor(options: { now?: () => number; ttlMs?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#ttlMs = options.ttlMs ?? 15 * 60_000;
  }

  issue(): string {
    this.#prune();
    const code = randomBytes(32).toString('base64url');
    this.#codes.set(secretDigest(code), this.#now() + this.#ttlMs);
    return code;
  }

  /** True once per code, within its lifetime. Compared in constant time over digests. */
  redeem(code: string): boolean {
    this.#prune();
    const presented = secretDigest(code);
    let found: string | undefined;
    for (const known of this.#codes.keys()) {
      if (sameDigest(known, presented)) found = known;
    }
    if (found === undefined) return false;
    this.#codes.delete(found);
    return true;
  }

  #prune(): void {
    const now = this.#now();
    for (const [code, expires] of this.#codes) if (expires <= now) this.#codes.delete(code);
  }
}
