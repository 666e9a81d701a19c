import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuardSnapshotView } from '../../../shared/api-contract.ts';
import type { GuardEvent } from '../../../main/core/guard/guard-events.ts';
import type { GuardedEngine } from './guarded-engine.ts';
import { askAnthropic } from './guarded-engine.ts';
import type { LimitedUpstream } from './limited-upstream.ts';
import { startTwoKeyProvider } from './two-key-setup.ts';
import { stopEverythingStarted } from './stop-after-each.ts';

// The guard.snapshot channel (GET /api/guard/snapshot, management token required) returns the live snapshot; keys
// appear by id and last four characters only; the same changes reach subscribers as events (tray, dashboard).

const secrets = { a: 'fake-ant-visible-key-aaaaaaaaaaaa7777', b: 'fake-ant-visible-key-bbbbbbbbbbbb8888' };
let engine: GuardedEngine;
let provider: LimitedUpstream;

beforeAll(async () => {
  ({ provider, engine } = await startTwoKeyProvider({ kind: 'anthropic', id: 'claude', secrets, now: () => Date.now(), settings: { limits: { perMinute: 100 } } }));
});

afterAll(stopEverythingStarted);

function getGuard(headers: Record<string, string> = {}) {
  return fetch(`${engine.running.url}/api/guard/snapshot`, { headers });
}

describe('GET /api/guard/snapshot', () => {
  it('requires the management token (the client key is not enough)', async () => {
    expect((await getGuard()).status).toBe(401);
    expect((await getGuard({ authorization: 'Bearer wrong-token' })).status).toBe(401);
    expect((await getGuard({ authorization: `Bearer ${engine.running.clientKey}` })).status).toBe(401);
  });

  it('returns the live state per provider and key, keys by id and last four characters only', async () => {
    const seen: GuardEvent[] = [];
    const unsubscribe = engine.guard.subscribe((event) => seen.push(event));
    provider.setReply((request) => (request.credential === secrets.a ? { kind: 'error', status: 401, message: 'invalid x-api-key' } : { kind: 'text' }));
    for (let index = 0; index < 3; index += 1) expect((await askAnthropic(engine.running, 'claude/claude-sonnet-4-5')).status).toBe(200);
    unsubscribe();

    const response = await getGuard({ authorization: `Bearer ${engine.running.managementToken}` });
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const secret of Object.values(secrets)) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice(0, -4));
    }
    const snapshot = JSON.parse(text) as GuardSnapshotView;
    const claude = snapshot.providers.find((candidate) => candidate.id === 'claude')!;
    expect(claude).toMatchObject({ queueDepth: 0, inFlight: 0, requests: 4, errors: 1, rateLimited: 0, breaker: 'closed', keyStrategy: 'round-robin' });
    expect(claude.latencyP50Ms).toEqual(expect.any(Number));
    const [a, b] = claude.keys;
    expect(a).toMatchObject({ id: 'a', last4: '7777', state: 'disabled', requests: 1, errors: 1 });
    expect(a!.reason).toMatch(/401 auth_failed/);
    expect(b).toMatchObject({ id: 'b', last4: '8888', state: 'active', requests: 3, errors: 0, inFlight: 0 });
    expect(b!.windows).toEqual([{ name: 'perMinute', windowMs: 60_000, limit: 100, used: 3 }]);
    expect(b!.latencyP50Ms).toEqual(expect.any(Number));
    expect(seen).toEqual([expect.objectContaining({ type: 'key-disabled', providerId: 'claude', keyId: 'a', key: 'a (…7777)' })]);
  });

  it('a key is put back in service with keys.reset; an unknown key is a 404', async () => {
    const auth = { authorization: `Bearer ${engine.running.managementToken}` };
    const reset = (keyId: string) =>
      fetch(`${engine.running.url}/api/keys/reset`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ providerId: 'claude', keyId }) });
    expect((await reset('zzz')).status).toBe(404);
    const answer = await reset('a');
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { keys: Array<{ id: string; status: string }> }).keys[0]).toMatchObject({ id: 'a', status: 'active' });
    const snapshot = (await (await getGuard(auth)).json()) as GuardSnapshotView;
    expect(snapshot.providers[0]!.keys[0]).toMatchObject({ id: 'a', state: 'active' });
  });
});
