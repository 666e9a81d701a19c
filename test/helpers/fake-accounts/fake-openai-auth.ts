import { createHash, randomBytes } from 'node:crypto';
import type { JsonServer, VendorRequest, VendorReply } from './json-server.ts';
import { fakeJwt, startJsonServer } from './json-server.ts';

export interface FakeChatgptAccount {
  accountId: string;
  userId: string;
  email: string;
  plan: string;
}

export interface FakeOpenaiAuth extends JsonServer {
  /** The account the next sign-in signs in as. */
  account: FakeChatgptAccount;
  /**
   * The person signing in in the browser: takes the authorize URL Switchyard showed, checks it, and returns the
   * address the browser is redirected to (`redirect_uri?code=…&state=…`).
   */
  authorize(authorizeUrl: string): string;
  /** Access tokens issued and still valid; the Codex backend fake accepts these. */
  accessTokens: string[];
  /** Refresh grants: current ones are accepted once, then rotate; a reused one is refused as refresh_token_reused. */
  refreshCount: number;
  /** Revokes every refresh token of an account (refresh answers refresh_token_invalidated). */
  revokeAccount(accountId: string): void;
  /** Lifetime of issued access tokens, seconds. */
  accessLifetimeSeconds: number;
  /** Device codes: approve the next poll of this user code. */
  approveDeviceCode(userCode: string): void;
  deviceUserCodes: string[];
  /** Wait before answering a refresh, ms (to make concurrent refreshes overlap). */
  refreshDelayMs: number;
}

const clientId = 'app_EMoamEEZ73f0CkXaXp7hrann';

/**
 * OpenAI's auth server as the Codex sign-in sees it (auth.openai.com): authorization code + PKCE (the verifier is
 * checked against the challenge from the authorize URL), refresh with rotation and reuse detection, and the
 * Codex device-code endpoints. Tokens are JWTs with the ChatGPT claims.
 */
export async function startFakeOpenaiAuth(options: { accessTokens?: string[] } = {}): Promise<FakeOpenaiAuth> {
  const pendingCodes = new Map<string, { challenge: string; redirectUri: string; account: FakeChatgptAccount }>();
  const refreshTokens = new Map<string, { account: FakeChatgptAccount; used: boolean }>();
  const revokedAccounts = new Set<string>();
  const devices = new Map<string, { userCode: string; approved: boolean; account: FakeChatgptAccount }>();
  const fake = {} as FakeOpenaiAuth;

  const issue = (account: FakeChatgptAccount) => {
    const now = Math.floor(Date.now() / 1000);
    const auth = { chatgpt_account_id: account.accountId, chatgpt_user_id: account.userId, chatgpt_plan_type: account.plan };
    const accessToken = fakeJwt({ exp: now + fake.accessLifetimeSeconds, jti: randomBytes(6).toString('hex'), 'https://api.openai.com/auth': auth });
    const refreshToken = `rt_fake_${randomBytes(12).toString('hex')}`;
    refreshTokens.set(refreshToken, { account, used: false });
    fake.accessTokens.push(accessToken);
    return { id_token: fakeJwt({ email: account.email, exp: now + 3600, 'https://api.openai.com/auth': auth }), access_token: accessToken, refresh_token: refreshToken };
  };
  const codeFor = (challenge: string, redirectUri: string, account: FakeChatgptAccount) => {
    const code = `ac_fake_${randomBytes(8).toString('hex')}`;
    pendingCodes.set(code, { challenge, redirectUri, account });
    return code;
  };

  const route = async (request: VendorRequest): Promise<VendorReply> => {
    if (request.path === '/oauth/token' && request.method === 'POST') {
      const body = request.body;
      if (body.client_id !== clientId) return { status: 401, body: { error: 'invalid_client' } };
      if (body.grant_type === 'authorization_code') {
        if (!request.contentType.includes('application/x-www-form-urlencoded')) return { status: 400, body: { error: 'invalid_request', error_description: 'form body expected' } };
        const pending = pendingCodes.get(String(body.code));
        pendingCodes.delete(String(body.code));
        if (!pending) return { status: 400, body: { error: 'invalid_grant', error_description: 'unknown or used code' } };
        if (pending.redirectUri !== body.redirect_uri) return { status: 400, body: { error: 'invalid_grant', error_description: 'redirect_uri mismatch' } };
        const challenge = createHash('sha256').update(String(body.code_verifier)).digest('base64url');
        if (challenge !== pending.challenge) return { status: 400, body: { error: 'invalid_grant', error_description: 'PKCE verification failed' } };
        return { status: 200, body: issue(pending.account) };
      }
      if (body.grant_type === 'refresh_token') {
        if (!request.contentType.includes('application/json')) return { status: 400, body: { error: 'invalid_request' } };
        fake.refreshCount += 1;
        if (fake.refreshDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, fake.refreshDelayMs));
        const entry = refreshTokens.get(String(body.refresh_token));
        if (!entry) return { status: 401, body: { error: { code: 'refresh_token_invalidated', message: 'unknown refresh token' } } };
        if (revokedAccounts.has(entry.account.accountId)) return { status: 401, body: { error: { code: 'refresh_token_invalidated', message: 'Your refresh token has been invalidated.' } } };
        if (entry.used) return { status: 401, body: { error: { code: 'refresh_token_reused', message: 'Your refresh token has already been used to generate a new access token.' } } };
        entry.used = true;
        return { status: 200, body: issue(entry.account) };
      }
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    }
    if (request.path === '/api/accounts/deviceauth/usercode' && request.method === 'POST') {
      if (request.body.client_id !== clientId) return { status: 401, body: { error: 'invalid_client' } };
      const deviceAuthId = `da_fake_${randomBytes(6).toString('hex')}`;
      const userCode = `${randomBytes(2).toString('hex').toUpperCase()}-${randomBytes(3).toString('hex').toUpperCase()}`;
      devices.set(deviceAuthId, { userCode, approved: false, account: fake.account });
      fake.deviceUserCodes.push(userCode);
      return { status: 200, body: { device_auth_id: deviceAuthId, user_code: userCode, interval: '0' } };
    }
    if (request.path === '/api/accounts/deviceauth/token' && request.method === 'POST') {
      const device = devices.get(String(request.body.device_auth_id));
      if (!device || device.userCode !== request.body.user_code) return { status: 404, body: { error: 'not_found' } };
      if (!device.approved) return { status: 403, body: { error: 'authorization_pending' } };
      devices.delete(String(request.body.device_auth_id));
      const verifier = randomBytes(32).toString('base64url');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      return { status: 200, body: { authorization_code: codeFor(challenge, "https://auth.openai.com/deviceauth/callback", device.account), code_verifier: verifier, code_challenge: challenge } };
    }
    return { status: 404, body: { error: 'not_found' } };
  };

  const server = await startJsonServer(route);
  return Object.assign(fake, server, {
    account: { accountId: 'acct-fake-0001', userId: 'user-fake-0001', email: 'fake.user@example.com', plan: 'plus' },
    accessTokens: options.accessTokens ?? [],
    refreshCount: 0,
    accessLifetimeSeconds: 3600,
    refreshDelayMs: 0,
    deviceUserCodes: [] as string[],
    revokeAccount: (accountId: string) => void revokedAccounts.add(accountId),
    approveDeviceCode(userCode: string) {
      for (const device of devices.values()) if (device.userCode === userCode) device.approved = true;
    },
    authorize(authorizeUrl: string): string {
      const url = new URL(authorizeUrl);
      if (url.origin !== server.url || url.pathname !== '/oauth/authorize') throw new Error(`not this fake's authorize URL: ${authorizeUrl}`);
      const query = url.searchParams;
      if (query.get('client_id') !== clientId || query.get('response_type') !== 'code' || query.get('code_challenge_method') !== 'S256') throw new Error('bad authorize request');
      const redirectUri = query.get('redirect_uri')!;
      const redirect = new URL(redirectUri);
      redirect.searchParams.set('code', codeFor(query.get('code_challenge')!, redirectUri, fake.account));
      redirect.searchParams.set('state', query.get('state')!);
      return redirect.toString();
    },
  });
}
