// IP addresses and CIDR ranges as `server.allowedClients` takes them. Pure (no Node modules) so the config schema can
// check entries wherever it runs; the engine matches them with node:net's BlockList.

const ipv4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/u;

export type IpFamily = 4 | 6;

/** 4 or 6 for an IP literal, undefined otherwise. IPv6 is checked by the URL parser, which follows the RFC 4291 forms. */
export function ipFamilyOf(address: string): IpFamily | undefined {
  if (ipv4.test(address)) return 4;
  if (!address.includes(':') || !/^[0-9a-f:.]+$/iu.test(address)) return undefined;
  try {
    new URL(`http://[${address}]/`);
    return 6;
  } catch {
    return undefined;
  }
}

export interface IpRange {
  address: string;
  family: IpFamily;
  /** Absent for a single address. */
  prefix?: number;
}

/** Parses `192.168.1.20`, `10.0.0.0/8`, `::1`, `fd00::/8`; a string is the problem, in words that name the entry. */
export function parseIpRange(entry: string): IpRange | string {
  const [address = '', prefix, extra] = entry.trim().split('/');
  const family = ipFamilyOf(address);
  if (family === undefined || extra !== undefined) return `"${entry}" is not an IP address or CIDR range (e.g. 192.168.1.0/24, fd00::/8)`;
  if (prefix === undefined) return { address, family };
  const bits = Number(prefix);
  const most = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/u.test(prefix) || bits > most) return `"${entry}" has a bad prefix length (0-${most})`;
  return { address, family, prefix: bits };
}
