import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../test/helpers/manual-clock.ts';
import { MemorySecretStore } from '../secrets/secret-store.ts';
import type { AccountKindDriver } from './account-kind.ts';
import { GrantRefusedError } from './account-kind.ts';
import type { AccountTokens } from './account-record.ts';
import { TokenSource } from './token-source.ts';

// The token source's timing rules with a manual clock and a scripted vendor (its HTTP side is covered by the
// integration tests against the fake auth servers).
function setup(options: { refresh?: (tokens: AccountTokens) => Promise<AccountTokens>; random?: number } = {}) {
  const clock = new ManualClock();
  const secrets = new MemorySecretStore();
  const refused: string[] = [];
  let issued = 0;
  const driver: AccountKindDriver = {
    kind: 'codex',
    vendor: 'Test',
    defaultClientId: 'test-client',
    refreshLeadMs: 60_000,
    refreshJitterMs: 30_000,
    signIn: () => Promise.reject(new Error('not used')),
    refresh:
      options.refresh ??
      (async (tokens) => {
        issued += 1;
        return { grant: `${tokens.grant}+`, accessToken: `access-${issued}`, expiresAt: clock.now() + 3_600_000 };
      }),
    credential: (tokens) => ({ token: tokens.accessToken ?? '', headers: {} }),
  };
  const source = new TokenSource({
    accountId: 'a1',
    driver,
    secrets,
    clock,
    random: () => options.random ?? 0.5,
    context: () => ({ http: {} as never, clientId: 'test-client', now: () => clock.now() }),
    onRefused: (message) => void refused.push(message),
  });
  return { clock, secrets, source, refused };
}

describe('the token source', () => {
  it('uses a valid token without refreshing, and refreshes a lead time (minus jitter) before expiry', async () => {
    const { clock, secrets, source } = setup({ random: 0.5 });
    await secrets.set('account:a1', JSON.stringify({ grant: 'g', accessToken: 'old', expiresAt: clock.now() + 600_000 }));
    expect((await source.valid()).accessToken).toBe('old');
    // 600 s - 60 s lead - 15 s jitter = refresh from 525 s on.
    await clock.advance(524_000);
    expect((await source.valid()).accessToken).toBe('old');
    await clock.advance(2_000);
    expect((await source.valid()).accessToken).toBe('access-1');
    expect(source.refreshes).toBe(1);
  });

  it("honours the vendor's refresh_in when it comes before the expiry", async () => {
    const { clock, secrets, source } = setup();
    await secrets.set('account:a1', JSON.stringify({ grant: 'g', accessToken: 'old', expiresAt: clock.now() + 1_800_000, refreshAt: clock.now() + 100_000 }));
    expect((await source.valid()).accessToken).toBe('old');
    await clock.advance(100_000);
    expect((await source.valid()).accessToken).toBe('access-1');
  });

  it('stores the rotated grant before handing the new token out, and shares one refresh among callers', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const { secrets, source } = setup({
      refresh: async (tokens) => {
        calls += 1;
        await gate;
        return { grant: `${tokens.grant}-rotated`, accessToken: 'new', expiresAt: Date.UTC(2030, 0, 1) };
      },
    });
    await secrets.set('account:a1', JSON.stringify({ grant: 'g', accessToken: 'old', expiresAt: 0 }));
    const waiting = Promise.all(Array.from({ length: 10 }, () => source.valid()));
    release();
    const results = await waiting;
    expect(calls).toBe(1);
    expect(results.every((tokens) => tokens.accessToken === 'new')).toBe(true);
    expect(JSON.parse((await secrets.get('account:a1'))!)).toMatchObject({ grant: 'g-rotated', accessToken: 'new' });
  });

  it('a refused grant is final: reported once, never sent to the vendor again', async () => {
    let calls = 0;
    const { secrets, source, refused } = setup({
      refresh: async () => {
        calls += 1;
        throw new GrantRefusedError('refresh_token_reused');
      },
    });
    await secrets.set('account:a1', JSON.stringify({ grant: 'g', expiresAt: 0 }));
    await expect(source.valid()).rejects.toThrow('refresh_token_reused');
    await expect(source.valid()).rejects.toThrow('refresh_token_reused');
    expect(calls).toBe(1);
    expect(refused).toEqual(['refresh_token_reused']);
  });

  it('after a 401, a token another caller already replaced is used instead of refreshing again', async () => {
    const { clock, secrets, source } = setup();
    await secrets.set('account:a1', JSON.stringify({ grant: 'g', accessToken: 'old', expiresAt: clock.now() + 3_600_000 }));
    await source.valid();
    expect((await source.afterUnauthorized('old')).accessToken).toBe('access-1');
    expect((await source.afterUnauthorized('old')).accessToken).toBe('access-1');
    expect(source.refreshes).toBe(1);
  });

  it('an account without stored tokens must sign in again', async () => {
    const { source, refused } = setup();
    await expect(source.valid()).rejects.toThrow(/sign in again/);
    expect(refused).toHaveLength(1);
  });
});
