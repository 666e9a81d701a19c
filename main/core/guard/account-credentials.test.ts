import { describe, expect, it } from 'vitest';
import type { AccountStanding } from './account-standing.ts';
import { createExecutionGuard } from './execution-guard.ts';
import type { KeyLease } from './guard-contract.ts';
import { ManualClock } from '../../../test/helpers/manual-clock.ts';

// Signed-in accounts in the key pool: the guard reads each account's live standing when it picks a credential.
function setup(standings: AccountStanding[]) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const guard = createExecutionGuard({ clock, random: () => 0.5 });
  guard.configure([{ id: 'p', keyStrategy: 'fill-first', keys: standings.map((account, index) => ({ id: `acct-${index}`, secret: '', enabled: true, account })), settings: {} }]);
  const leases: KeyLease[] = [];
  const run = () => guard.run({ providerId: 'p', model: 'm', stream: false, estimatedInputTokens: () => 1, signal: new AbortController().signal }, async (lease) => (leases.push(lease), { value: lease.keyId }));
  return { clock, guard, leases, run };
}

describe('accounts as credentials', () => {
  it('an account whose quota is used up is skipped until its reset, then used again', async () => {
    const first: AccountStanding = { label: 'a@example.com', state: 'ready', quota: { windows: [{ name: 'primary', usedPercent: 100 }], readAt: 0, exhaustedUntil: Date.UTC(2026, 0, 1, 5) } };
    const { clock, guard, run } = setup([first, { label: 'b@example.com', state: 'ready' }]);
    expect(await run()).toBe('acct-1');
    const snapshot = guard.snapshot().providers[0]!.keys[0]!;
    expect(snapshot).toMatchObject({ state: 'exhausted', exhaustedUntil: Date.UTC(2026, 0, 1, 5), label: 'acct-0 (a@example.com)', account: { login: 'a@example.com', state: 'ready' } });
    await clock.advanceTo(Date.UTC(2026, 0, 1, 5));
    expect(await run()).toBe('acct-0');
  });

  it('an account that must sign in again is out of service with the reason, read live from its standing', async () => {
    const first: AccountStanding = { label: 'a@example.com', state: 'ready' };
    const { guard, run } = setup([first, { label: 'b@example.com', state: 'ready' }]);
    expect(await run()).toBe('acct-0');
    first.state = 'sign-in-again';
    first.stateReason = 'refresh_token_reused';
    expect(await run()).toBe('acct-1');
    expect(guard.snapshot().providers[0]!.keys[0]).toMatchObject({ state: 'disabled', disabledReason: 'sign in again: refresh_token_reused' });
  });

  it('with every account signed out, the refusal names the reason', async () => {
    const { run } = setup([{ label: 'a@example.com', state: 'sign-in-again', stateReason: 'revoked' }]);
    await expect(run()).rejects.toMatchObject({ message: expect.stringContaining('acct-0: must sign in again (revoked)') });
  });
});
