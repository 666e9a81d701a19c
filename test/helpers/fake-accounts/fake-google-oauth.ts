import { createHash, randomBytes } from 'node:crypto';
import type { JsonServer, VendorReply, VendorRequest } from './json-server.ts';
import { startJsonServer } from './json-server.ts';

export interface FakeGoogleUser {
  id: string;
  email: string;
}

export interface FakeGoogleOauth extends JsonServer {
  /** Who the next sign-in signs in as. */
  user: FakeGoogleUser;
  /**
   * The person in the browser: checks the authorize URL Switchyard showed (client, offline access, S256 challenge,
   * state) and returns where Google sends the browser: `redirect_uri?code=…&state=…`.
   */
  authorize(authorizeUrl: string): string;
  /** For the no-browser sign-in: the code Google's code page shows after the same checks. */
  authorizeForCode(authorizeUrl: string): string;
  /** Valid access tokens -> who they belong to; the fake Code Assist server reads this. */
  accessTokens: Map<string, FakeGoogleUser>;
  refreshCount: number;
  /** Wait before answering a refresh (to make concurrent refreshes overlap), ms. */
  refreshDelayMs: number;
  /** Lifetime of issued access tokens, seconds. */
  accessLifetimeSeconds: number;
  /** Revokes every refresh token of a user: refresh answers invalid_grant. */
  revoke(userId: string): void;
}

const clientId = '681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com';
/** The client secret the fake expects; tests set it as the provider's oauth.clientSecret (Switchyard ships none). */
export const fakeGoogleClientSecret = 'fake.google.client.secret';
const clientSecret = fakeGoogleClientSecret;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Google's OAuth endpoints as Switchyard's gemini-cli sign-in uses them, on 127.0.0.1: the authorize step (as the
 * browser would go through it), the token endpoint (form bodies; the client secret and the PKCE verifier are
 * checked), refresh without rotation, revocation (invalid_grant) and userinfo. Tokens are opaque and marked fake.
 */
export async function startFakeGoogleOauth(): Promise<FakeGoogleOauth> {
  const codes = new Map<string, { challenge: string; redirectUri: string; user: FakeGoogleUser }>();
  const refreshTokens = new Map<string, FakeGoogleUser>();
  const revoked = new Set<string>();
  const fake = {} as FakeGoogleOauth;

  const issueAccess = (user: FakeGoogleUser) => {
    const token = `ya29.fake-${randomBytes(10).toString('hex')}`;
    fake.accessTokens.set(token, user);
    return token;
  };
  const checkAuthorize = (authorizeUrl: string) => {
    const url = new URL(authorizeUrl);
    const query = url.searchParams;
    if (url.pathname !== '/o/oauth2/v2/auth') throw new Error(`not Google's authorize path: ${url.pathname}`);
    if (query.get('client_id') !== clientId) throw new Error('unknown client_id');
    if (query.get('access_type') !== 'offline') throw new Error('offline access not asked for');
    if (query.get('code_challenge_method') !== 'S256' || !query.get('code_challenge')) throw new Error('no S256 code challenge');
    if (!query.get('state')) throw new Error('no state');
    if (!query.get('scope')?.includes('https://www.googleapis.com/auth/cloud-platform')) throw new Error('cloud-platform scope missing');
    const code = `4/0fake-${randomBytes(8).toString('hex')}`;
    codes.set(code, { challenge: query.get('code_challenge')!, redirectUri: query.get('redirect_uri') ?? '', user: fake.user });
    return { code, state: query.get('state')!, redirectUri: query.get('redirect_uri') ?? '' };
  };

  const tokenRoute = async (request: VendorRequest): Promise<VendorReply> => {
    const body = request.body;
    if (!request.contentType.includes('application/x-www-form-urlencoded')) return { status: 400, body: { error: 'invalid_request', error_description: 'form body expected' } };
    if (body.client_id !== clientId || body.client_secret !== clientSecret) return { status: 401, body: { error: 'invalid_client', error_description: 'The OAuth client was not found.' } };
    if (body.grant_type === 'authorization_code') {
      const pending = codes.get(String(body.code));
      codes.delete(String(body.code));
      if (!pending) return { status: 400, body: { error: 'invalid_grant', error_description: 'Malformed auth code.' } };
      if (pending.redirectUri !== body.redirect_uri) return { status: 400, body: { error: 'redirect_uri_mismatch' } };
      if (createHash('sha256').update(String(body.code_verifier)).digest('base64url') !== pending.challenge) return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid code verifier.' } };
      const refreshToken = `1//fake-${randomBytes(10).toString('hex')}`;
      refreshTokens.set(refreshToken, pending.user);
      return { status: 200, body: { access_token: issueAccess(pending.user), expires_in: fake.accessLifetimeSeconds, refresh_token: refreshToken, scope: 'fake', token_type: 'Bearer' } };
    }
    if (body.grant_type === 'refresh_token') {
      fake.refreshCount += 1;
      if (fake.refreshDelayMs > 0) await sleep(fake.refreshDelayMs);
      const user = refreshTokens.get(String(body.refresh_token));
      if (!user || revoked.has(user.id)) return { status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } };
      return { status: 200, body: { access_token: issueAccess(user), expires_in: fake.accessLifetimeSeconds, scope: 'fake', token_type: 'Bearer' } };
    }
    return { status: 400, body: { error: 'unsupported_grant_type' } };
  };

  const server = await startJsonServer(async (request) => {
    if (request.path === '/token' && request.method === 'POST') return tokenRoute(request);
    if (request.path === '/oauth2/v2/userinfo') {
      const user = fake.accessTokens.get(String(request.headers.authorization ?? '').replace(/^Bearer /, ''));
      if (!user) return { status: 401, body: { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } } };
      return { status: 200, body: { id: user.id, email: user.email, verified_email: true } };
    }
    return { status: 404, body: { error: { code: 404, message: `fake Google OAuth has no route ${request.path}`, status: 'NOT_FOUND' } } };
  });

  return Object.assign(fake, server, {
    user: { id: '100000000000000000001', email: 'first.fake@example.com' },
    accessTokens: new Map<string, FakeGoogleUser>(),
    refreshCount: 0,
    refreshDelayMs: 0,
    accessLifetimeSeconds: 3600,
    authorize(authorizeUrl: string) {
      const { code, state, redirectUri } = checkAuthorize(authorizeUrl);
      return `${redirectUri}?state=${encodeURIComponent(state)}&code=${encodeURIComponent(code)}&scope=fake`;
    },
    authorizeForCode(authorizeUrl: string) {
      const { code, redirectUri } = checkAuthorize(authorizeUrl);
      if (redirectUri !== 'https://codeassist.google.com/authcode') throw new Error(`the code page flow redirects to Google's code page, not ${redirectUri}`);
      return code;
    },
    revoke(userId: string) {
      revoked.add(userId);
    },
  });
}
