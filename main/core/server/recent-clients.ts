/** Why the edge turned a connection or request away (docs/security.md, Who connected recently). */
export type Refusal = 'allowlist' | 'badKey' | 'throttled' | 'tooManyConnections';

export interface RecentClient {
  /** The peer's IP address (an IPv4-mapped IPv6 address as the IPv4 address it is). */
  address: string;
  /** Epoch ms of the first and the latest connection or request seen from it (since it was last forgotten). */
  firstSeen: number;
  lastSeen: number;
  /** Requests that got past the client key check (model calls, model lists, management calls). */
  requests: number;
  /** Turned away: not in server.allowedClients, a wrong client key or management token, answered late by the failed-key throttle, or past server.maxConnections. */
  refused: Record<Refusal, number>;
  /** How it identified itself: a named client key's name, "client key" for a configured one, "management token". Never the key. */
  keyLabels: string[];
}

const maxLabels = 4;

/**
 * Who connected recently, for the dashboard: per remote address, first and last seen, requests and refusals, and
 * the labels of the keys it used. Bounded: at most `maxAddresses` (256) addresses, the least recently seen one is
 * forgotten first (a Map kept in recency order); at most four labels per address. One Map lookup per request.
 */
export class RecentClients {
  readonly #entries = new Map<string, RecentClient>();
  readonly #now: () => number;
  readonly #maxAddresses: number;

  constructor(options: { now?: () => number; maxAddresses?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#maxAddresses = options.maxAddresses ?? 256;
  }

  /** A request from `address` passed the key check, identified by `label` (when a key was presented). */
  request(address: string | undefined, label?: string): void {
    const entry = this.#touch(address);
    entry.requests += 1;
    if (label !== undefined && !entry.keyLabels.includes(label)) {
      entry.keyLabels.push(label);
      if (entry.keyLabels.length > maxLabels) entry.keyLabels.shift();
    }
  }

  refused(address: string | undefined, why: Refusal): void {
    this.#touch(address).refused[why] += 1;
  }

  /** How many addresses are remembered at most. */
  get capacity(): number {
    return this.#maxAddresses;
  }

  /** The addresses, most recently seen first (copies: the caller may keep them). */
  list(): RecentClient[] {
    return [...this.#entries.values()].reverse().map((entry) => ({ ...entry, refused: { ...entry.refused }, keyLabels: [...entry.keyLabels] }));
  }

  #touch(raw: string | undefined): RecentClient {
    const address = plainAddress(raw);
    const now = this.#now();
    let entry = this.#entries.get(address);
    if (entry) this.#entries.delete(address);
    else entry = { address, firstSeen: now, lastSeen: now, requests: 0, refused: { allowlist: 0, badKey: 0, throttled: 0, tooManyConnections: 0 }, keyLabels: [] };
    entry.lastSeen = now;
    this.#entries.set(address, entry);
    if (this.#entries.size > this.#maxAddresses) this.#entries.delete(this.#entries.keys().next().value!);
    return entry;
  }
}

/** ::ffff:192.0.2.1 (what a dual-stack listener reports for IPv4 peers) as 192.0.2.1; a missing address as "unknown". */
function plainAddress(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;
}
