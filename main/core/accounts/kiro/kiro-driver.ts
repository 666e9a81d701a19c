import type { AccountKindDriver } from '../account-kind.ts';
import { GrantRefusedError } from '../account-kind.ts';
import { awsErrorCode, awsErrorText, createToken, tokensFromCreateToken } from './kiro-oidc.ts';
import { startKiroSignIn } from './kiro-sign-in.ts';
import { readUsageLimits } from './kiro-usage-limits.ts';

/** Refresh answers after which only a new sign-in helps (AWS SSO OIDC CreateToken errors). */
const finalRefreshErrors = new Set(['invalid_grant', 'expired_token', 'invalid_client', 'unauthorized_client', 'access_denied']);

/** Kiro (AWS Builder ID / IAM Identity Center) as an account kind: SSO OIDC device flow, refresh, usage limits. */
export const kiroDriver: AccountKindDriver = {
  kind: 'kiro',
  vendor: 'Kiro',
  // No static client: each region's public client is registered at run time (kiro-oidc.ts).
  defaultClientId: 'registered at run time',
  // SSO access tokens live about an hour; five minutes ahead keeps a long answer from starting on a dying token.
  refreshLeadMs: 5 * 60_000,
  refreshJitterMs: 60_000,
  signIn: startKiroSignIn,

  async refresh(tokens, context) {
    const client = tokens.oauthClient;
    if (!client) throw new GrantRefusedError('no registered AWS sign-in client is kept with this account');
    if (client.expiresAt <= context.now()) {
      throw new GrantRefusedError(`the sign-in client Switchyard registered with AWS expired on ${new Date(client.expiresAt).toISOString().slice(0, 10)}; signing in again registers a new one`);
    }
    const answer = await createToken(context, client, { refreshToken: tokens.grant, grantType: 'refresh_token' }, context.signal);
    if (answer.status === 200) {
      const fresh = tokensFromCreateToken(
        answer.body,
        { grant: tokens.grant, oauthClient: client, ...(tokens.startUrl ? { startUrl: tokens.startUrl } : {}), ...(tokens.profileArn ? { profileArn: tokens.profileArn } : {}) },
        context.now(),
      );
      if (fresh) return fresh;
      throw new Error('AWS answered the token refresh without an access token; it will be tried again.');
    }
    const code = awsErrorCode(answer);
    if ((code && finalRefreshErrors.has(code)) || answer.status === 401) throw new GrantRefusedError(`AWS refused to refresh the sign-in (${awsErrorText(answer)})`);
    throw new Error(`AWS's token refresh failed (${awsErrorText(answer)}); it will be tried again.`);
  },

  credential(tokens) {
    return { token: tokens.accessToken ?? '', headers: {}, ...(tokens.profileArn ? { profileArn: tokens.profileArn } : {}) };
  },

  async readQuota(tokens, context) {
    if (!tokens.accessToken) return undefined;
    return (await readUsageLimits(tokens.accessToken, context, tokens.profileArn))?.quota;
  },
};
