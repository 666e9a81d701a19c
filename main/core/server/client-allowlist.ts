import { BlockList } from 'node:net';
import { ipFamilyOf, parseIpRange } from '../../../shared/config/ip-range.ts';

/**
 * `server.allowedClients`: the addresses allowed to connect at all when Switchyard is shared on the network. Checked
 * on the raw socket, before a byte of the request is parsed, so a refused machine costs one accept and one close.
 * An empty list allows everyone (the client key still applies). IPv4-mapped IPv6 peers (::ffff:192.0.2.1, what a
 * dual-stack listener reports) are matched as the IPv4 address they are.
 */
export interface ClientAllowlist {
  allows(address: string | undefined): boolean;
}

const everyone: ClientAllowlist = { allows: () => true };

/** Throws the parse problem of the first bad entry (the config schema refuses those before this runs). */
export function clientAllowlist(entries: readonly string[]): ClientAllowlist {
  if (entries.length === 0) return everyone;
  const list = new BlockList();
  for (const entry of entries) {
    const range = parseIpRange(entry);
    if (typeof range === 'string') throw new Error(`server.allowedClients: ${range}.`);
    const type = range.family === 4 ? 'ipv4' : 'ipv6';
    if (range.prefix === undefined) list.addAddress(range.address, type);
    else list.addSubnet(range.address, range.prefix, type);
  }
  return {
    allows(address) {
      if (address === undefined) return false;
      const plain = unmapped(address);
      const family = ipFamilyOf(plain);
      return family !== undefined && list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

function unmapped(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && ipFamilyOf(lower.slice(7)) === 4 ? lower.slice(7) : address;
}
