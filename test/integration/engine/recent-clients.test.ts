import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, expect, it } from 'vitest';
import type { RecentClientsView } from '../../../shared/api-contract-network.ts';
import { NamedClientKeys } from '../../../main/core/config/named-client-keys.ts';
import type { RunningEngine } from '../../helpers/start-engine.ts';
import { startEngine } from '../../helpers/start-engine.ts';
import { temporaryFolders } from '../../helpers/temp-folders.ts';

// Issue 15, point 9: the dashboard's list of who connected recently, through the real HTTP edge. Every address
// here is on the loopback network (127.0.0.0/8 all reaches this machine), so a second "machine" is 127.0.0.2.

const folders = temporaryFolders('switchyard-recent-clients-');
let running: RunningEngine | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});
afterAll(() => folders.cleanup());

/** One GET from a chosen local address; a connection closed at once answers "refused". */
function get(url: string, path: string, headers: Record<string, string>, localAddress = '127.0.0.1'): Promise<string> {
  return new Promise((resolve) => {
    const request = httpRequest(`${url}${path}`, { headers, localAddress, timeout: 5_000 }, (response) => {
      response.resume();
      response.on('end', () => resolve(String(response.statusCode)));
    });
    request.on('error', () => resolve('refused'));
    request.on('timeout', () => request.destroy());
    request.end();
  });
}

it('lists each address with first/last seen, requests, refusals and the labels of the keys it used, never a key', async () => {
  const keys = new NamedClientKeys(await folders.make());
  const named = await keys.create('claude-code');
  running = await startEngine({ server: { allowedClients: ['127.0.0.1'] } }, { namedClientKeys: keys });
  const url = running.url;
  expect(await get(url, '/v1/models', { authorization: `Bearer ${running.clientKey}` })).toBe('200');
  expect(await get(url, '/v1/models', { 'x-api-key': named.secret })).toBe('200');
  expect(await get(url, '/v1/models', { 'x-api-key': 'sy-wrong-key-fake-0000000000' })).toBe('401');
  // Not in server.allowedClients: closed before a byte is parsed, counted all the same.
  expect(await get(url, '/v1/models', { authorization: `Bearer ${running.clientKey}` }, '127.0.0.2')).toBe('refused');

  const answer = await fetch(`${url}/api/network/recentClients`, { headers: { authorization: `Bearer ${running.managementToken}` } });
  expect(answer.status).toBe(200);
  const text = await answer.text();
  for (const secret of [running.clientKey, named.secret, running.managementToken, 'sy-wrong-key-fake-0000000000']) expect(text).not.toContain(secret);
  const view = JSON.parse(text) as RecentClientsView;
  expect(view.capacity).toBe(256);
  expect(view.allowedClients).toEqual(['127.0.0.1']);
  expect(view.sharedOnNetwork).toBe(false);
  const local = view.clients.find((client) => client.address === '127.0.0.1');
  const other = view.clients.find((client) => client.address === '127.0.0.2');
  // Three client calls and this management call passed their checks; the wrong key did not.
  expect(local).toMatchObject({ requests: 3, refused: { allowlist: 0, badKey: 1, throttled: 0, tooManyConnections: 0 } });
  expect(local!.keyLabels).toEqual(['client key', 'claude-code', 'management token']);
  expect(local!.lastSeen).toBeGreaterThanOrEqual(local!.firstSeen);
  expect(other).toMatchObject({ requests: 0, refused: { allowlist: 1, badKey: 0 }, keyLabels: [] });
});

it('a wrong management token counts as a refusal too', async () => {
  running = await startEngine({});
  expect(await get(running.url, '/api/status', { authorization: 'Bearer sym-wrong-token-fake-000000' })).toBe('401');
  const view = running.engine.recentClients.list();
  expect(view).toEqual([expect.objectContaining({ address: '127.0.0.1', requests: 0, refused: expect.objectContaining({ badKey: 1 }) })]);
});
