import { describe, expect, it } from 'vitest';
import { clientAllowlist } from './client-allowlist.ts';

describe('server.allowedClients', () => {
  it('allows everyone when empty', () => {
    expect(clientAllowlist([]).allows('203.0.113.9')).toBe(true);
  });

  it('matches single addresses and CIDR ranges of both families', () => {
    const list = clientAllowlist(['127.0.0.1', '192.168.1.0/24', 'fd00::/8', '::1']);
    for (const address of ['127.0.0.1', '192.168.1.1', '192.168.1.254', 'fd12:3456::1', '::1', '::ffff:192.168.1.7']) expect(list.allows(address), address).toBe(true);
    for (const address of ['127.0.0.2', '192.168.2.1', '10.0.0.1', 'fe80::1', '::2', '::ffff:10.0.0.1', 'not-an-ip', undefined]) expect(list.allows(address), String(address)).toBe(false);
  });

  it('names the bad entry', () => {
    expect(() => clientAllowlist(['192.168.1.0/33'])).toThrow(/"192.168.1.0\/33" has a bad prefix length \(0-32\)/u);
    expect(() => clientAllowlist(['lan'])).toThrow(/"lan" is not an IP address or CIDR range/u);
    expect(() => clientAllowlist(['10.0.0.0/8/1'])).toThrow(/not an IP address/u);
    expect(() => clientAllowlist(['fd00::/abc'])).toThrow(/bad prefix length \(0-128\)/u);
  });
});

describe('server.allowedClients in the config schema', () => {
  it('refuses entries that are not addresses or ranges, naming them', async () => {
    const { serverSchema } = await import('../../../shared/config/server-schema.ts');
    expect(serverSchema.safeParse({ allowedClients: ['192.168.1.0/24', '::1', 'fd00::/8'] }).success).toBe(true);
    const bad = serverSchema.safeParse({ allowedClients: ['192.168.1.0/24', '300.1.1.1', 'fd00::/129', 'lan'] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([
      'allowedClients.1: "300.1.1.1" is not an IP address or CIDR range (e.g. 192.168.1.0/24, fd00::/8)',
      'allowedClients.2: "fd00::/129" has a bad prefix length (0-128)',
      'allowedClients.3: "lan" is not an IP address or CIDR range (e.g. 192.168.1.0/24, fd00::/8)',
    ]);
  });
});
