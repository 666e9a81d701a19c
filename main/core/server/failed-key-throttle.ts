/**
 * Slows down guessing from the network: an address that presented a wrong client key or management token more than `free` times in
 * a minute gets each further refusal later, doubling from 250 ms up to 4 s, until a minute passes without one or it
 * presents a right key. Refusals are delayed, not queued, and `server.maxConnections` bounds how many can wait at
 * once. The table is bounded too: past `maxAddresses` the oldest address is forgotten. This machine's own programs
 * (loopback) are not slowed: they are the coding tools being set up, and anything local could read the key anyway.
 */
export class FailedKeyThrottle {
  readonly #failures = new Map<string, { count: number; since: number }>();
  readonly #now: () => number;
  readonly #free: number;
  readonly #maxAddresses: number;

  constructor(options: { now?: () => number; free?: number; maxAddresses?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#free = options.free ?? 5;
    this.#maxAddresses = options.maxAddresses ?? 4096;
  }

  /** Records a refusal from `address`; returns how long to wait before answering it (0: at once). */
  failed(address: string | undefined): number {
    if (isLoopback(address)) return 0;
    const key = address ?? 'unknown';
    const now = this.#now();
    let entry = this.#failures.get(key);
    if (!entry || now - entry.since > 60_000) entry = { count: 0, since: now };
    entry.count += 1;
    this.#failures.delete(key);
    this.#failures.set(key, entry);
    if (this.#failures.size > this.#maxAddresses) this.#failures.delete(this.#failures.keys().next().value!);
    const over = entry.count - this.#free;
    return over <= 0 ? 0 : Math.min(4_000, 250 * 2 ** (over - 1));
  }

  /** A right key from `address`: its count starts again. */
  succeeded(address: string | undefined): void {
    if (this.#failures.size > 0) this.#failures.delete(address ?? 'unknown');
  }
}

function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || plain.startsWith('127.');
}
