import type { KindContext } from '../account-kind.ts';
import { GrantRefusedError } from '../account-kind.ts';
import type { AccountTokens } from '../account-record.ts';
import { SignInError } from '../sign-in-error.ts';
import { callVendor, stringField } from '../vendor-http.ts';

// Google's OAuth endpoints as Gemini CLI uses them (google-gemini/gemini-cli packages/core/src/code_assist/oauth2.ts).
export const googleAuthorizeUrl = 'https://accounts.google.com/o/oauth2/v2/auth';
export const googleTokenUrl = 'https://oauth2.googleapis.com/token';
export const googleUserinfoUrl = 'https://www.googleapis.com/oauth2/v2/userinfo';
export const googleScopes = ['https://www.googleapis.com/auth/cloud-platform', 'https://www.googleapis.com/auth/userinfo.email', 'https://www.googleapis.com/auth/userinfo.profile'];

/**
 * Gemini CLI's "installed application" OAuth client id (published in google-gemini/gemini-cli
 * packages/core/src/code_assist/oauth2.ts). Google's token endpoint also wants that client's secret. Gemini CLI
 * publishes it beside the id (Google's guidance for installed apps says such a secret is not treated as secret), but
 * it has the shape of a Google credential, so Switchyard does not ship it: the person sets `oauth.clientSecret` (an
 * env or keychain reference) to it, or to their organisation's own client's secret. See docs/accounts.md.
 */
export const geminiCliClientId = '681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com';

/** What to do when no client secret is set (the sign-in cannot start without one). */
export const clientSecretNeeded =
  'Google sign-in needs the OAuth client\'s secret, which Switchyard does not ship. Set this provider\'s oauth.clientSecret ({"env": "NAME"} or {"keychain": "id"}) to the installed-app client secret Gemini CLI publishes in packages/core/src/code_assist/oauth2.ts (github.com/google-gemini/gemini-cli), or to the secret of your organisation\'s own client (with oauth.clientId). See docs/accounts.md.';

/** Google access tokens live about an hour; used when a token answer does not say. */
const assumedLifetimeMs = 60 * 60_000;

interface GoogleTokenAnswer {
  access_token?: string;
  refresh_token?: string;
  id_token?: string;
  expires_in?: number;
}

/** Refresh answers that mean the grant is gone for good (RFC 6749 section 5.2; Google answers a revoked token so). */
const finalRefreshErrors = new Set(['invalid_grant', 'unauthorized_client', 'invalid_client']);

function tokensFrom(body: GoogleTokenAnswer, previous: AccountTokens | undefined, now: number): AccountTokens {
  // Google sends no new refresh token on refresh: the grant stays, only the access token changes.
  const grant = body.refresh_token ?? previous?.grant ?? '';
  const idToken = body.id_token ?? previous?.idToken;
  return {
    ...previous,
    grant,
    ...(body.access_token ? { accessToken: body.access_token } : {}),
    ...(idToken ? { idToken } : {}),
    expiresAt: now + (body.expires_in !== undefined ? body.expires_in * 1000 : assumedLifetimeMs),
  };
}

function clientFields(context: KindContext): Record<string, string> {
  return { client_id: context.clientId, ...(context.clientSecret ? { client_secret: context.clientSecret } : {}) };
}

/** Authorization code -> tokens (form-encoded; the PKCE verifier and the same redirect URI as the authorize step). */
export async function exchangeGoogleCode(context: KindContext, code: string, redirectUri: string, verifier: string): Promise<AccountTokens> {
  const answer = await callVendor(
    context.http,
    { url: googleTokenUrl, form: { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier, ...clientFields(context) }, signal: context.signal },
    'oauth2.googleapis.com',
  );
  const body = answer.body as GoogleTokenAnswer | undefined;
  if (answer.status !== 200 || !body?.access_token) {
    const detail = stringField(body, 'error_description') ?? stringField(body, 'error') ?? `HTTP ${answer.status}`;
    throw new SignInError('vendor', `Google did not accept the sign-in (${detail}). Nothing was stored.`);
  }
  if (!body.refresh_token) {
    // Without offline access Switchyard could serve for an hour and then not at all.
    throw new SignInError('vendor', 'Google gave no refresh token (offline access was not granted). Remove Switchyard at myaccount.google.com/permissions and sign in again. Nothing was stored.');
  }
  return tokensFrom(body, undefined, context.now());
}

/** A new access token from the refresh token. Throws GrantRefusedError when only signing in again helps. */
export async function refreshGoogleTokens(tokens: AccountTokens, context: KindContext): Promise<AccountTokens> {
  const answer = await callVendor(
    context.http,
    { url: googleTokenUrl, form: { grant_type: 'refresh_token', refresh_token: tokens.grant, ...clientFields(context) }, signal: context.signal },
    'oauth2.googleapis.com',
  );
  if (answer.status === 200 && stringField(answer.body, 'access_token')) return tokensFrom(answer.body as GoogleTokenAnswer, tokens, context.now());
  const code = stringField(answer.body, 'error');
  if ((code && finalRefreshErrors.has(code)) || answer.status === 400 || answer.status === 401) {
    const description = stringField(answer.body, 'error_description');
    throw new GrantRefusedError(`Google refused to refresh the sign-in (${code ?? `HTTP ${answer.status}`}${description ? `: ${description}` : ''})`);
  }
  throw new Error(`Google's token refresh failed (HTTP ${answer.status}); it will be tried again.`);
}

export interface GoogleUser {
  id: string;
  email: string;
}

/** Who signed in (the userinfo endpoint); an account without an e-mail is named by its id. */
export async function readGoogleUser(context: KindContext, accessToken: string): Promise<GoogleUser> {
  const answer = await callVendor(context.http, { url: googleUserinfoUrl, headers: { authorization: `Bearer ${accessToken}` }, signal: context.signal }, 'www.googleapis.com');
  const id = stringField(answer.body, 'id');
  const email = stringField(answer.body, 'email');
  if (answer.status !== 200 || (!id && !email)) throw new SignInError('vendor', `Google did not say who signed in (userinfo answered HTTP ${answer.status}). Nothing was stored.`);
  return { id: id ?? email!, email: email ?? id! };
}
