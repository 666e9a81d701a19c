import { describe, expect, it } from 'vitest';
import { codexDriver } from './codex-driver.ts';
import { readCodexClaims } from './id-token.ts';

const jwt = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.fake-signature`;

describe('the Codex account kind', () => {
  it('reads the ChatGPT account id, plan and e-mail from the id_token claims', () => {
    const token = jwt({ email: 'fake@example.com', exp: 1_900_000_000, 'https://api.openai.com/auth': { chatgpt_account_id: 'acct-1', chatgpt_plan_type: 'pro', chatgpt_user_id: 'user-1' } });
    expect(readCodexClaims(token)).toEqual({ email: 'fake@example.com', accountId: 'acct-1', userId: 'user-1', plan: 'pro', expiresAt: 1_900_000_000_000 });
    expect(readCodexClaims('not-a-jwt')).toEqual({});
  });

  it('reads the usage windows from x-codex-* headers; a window at 100% takes the account out until its reset', () => {
    const now = Date.UTC(2026, 0, 1);
    const quota = codexDriver.quotaFromHeaders!(
      { 'x-codex-primary-used-percent': '100', 'x-codex-primary-window-minutes': '300', 'x-codex-primary-reset-after-seconds': '600', 'x-codex-secondary-used-percent': '40', 'x-codex-secondary-window-minutes': '10080', 'x-codex-secondary-reset-at': String(now / 1000 + 86_400) },
      now,
    );
    expect(quota).toEqual({
      windows: [
        { name: 'primary (5 h)', usedPercent: 100, resetAt: now + 600_000, windowMs: 300 * 60_000 },
        { name: 'secondary (7 d)', usedPercent: 40, resetAt: now + 86_400_000, windowMs: 10_080 * 60_000 },
      ],
      readAt: now,
      exhaustedUntil: now + 600_000,
    });
    expect(codexDriver.quotaFromHeaders!({ 'content-type': 'text/event-stream' }, now)).toBeUndefined();
  });

  it('sends the account id header with the access token', () => {
    const accessToken = jwt({ 'https://api.openai.com/auth': { chatgpt_account_id: 'acct-9' } });
    expect(codexDriver.credential({ grant: 'rt_fake', accessToken })).toEqual({ token: accessToken, headers: { 'chatgpt-account-id': 'acct-9', originator: 'codex_cli_rs' } });
  });
});
