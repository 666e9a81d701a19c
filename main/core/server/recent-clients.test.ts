import { describe, expect, it } from 'vitest';
import { RecentClients } from './recent-clients.ts';

describe('RecentClients', () => {
  it('counts requests and refusals per address, with first and last seen', () => {
    let now = 1_000;
    const recent = new RecentClients({ now: () => now });
    recent.request('192.0.2.7', 'claude-code');
    now = 2_000;
    recent.refused('::ffff:192.0.2.7', 'badKey');
    recent.refused('192.0.2.7', 'throttled');
    recent.refused('198.51.100.1', 'allowlist');
    expect(recent.list()).toEqual([
      { address: '198.51.100.1', firstSeen: 2_000, lastSeen: 2_000, requests: 0, refused: { allowlist: 1, badKey: 0, throttled: 0, tooManyConnections: 0 }, keyLabels: [] },
      { address: '192.0.2.7', firstSeen: 1_000, lastSeen: 2_000, requests: 1, refused: { allowlist: 0, badKey: 1, throttled: 1, tooManyConnections: 0 }, keyLabels: ['claude-code'] },
    ]);
  });

  it('keeps at most maxAddresses, forgetting the least recently seen first', () => {
    const recent = new RecentClients({ now: () => 0, maxAddresses: 3 });
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) recent.request(address);
    recent.request('10.0.0.1');
    recent.request('10.0.0.4');
    expect(recent.list().map((client) => client.address)).toEqual(['10.0.0.4', '10.0.0.1', '10.0.0.3']);
  });

  it('keeps a few distinct key labels per address, never more than four', () => {
    const recent = new RecentClients({ now: () => 0 });
    for (const label of ['a', 'b', 'a', 'c', 'd', 'e']) recent.request('10.0.0.9', label);
    expect(recent.list()[0]!.keyLabels).toEqual(['b', 'c', 'd', 'e']);
  });

  it('hands out copies: a caller cannot change the table', () => {
    const recent = new RecentClients({ now: () => 0 });
    recent.request(undefined, 'client key');
    const [first] = recent.list();
    first!.refused.badKey = 99;
    first!.keyLabels.push('x');
    expect(recent.list()[0]).toMatchObject({ address: 'unknown', refused: { badKey: 0 }, keyLabels: ['client key'] });
  });
});
