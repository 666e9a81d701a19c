import type { KindContext, SignedIn } from '../account-kind.ts';
import type { AccountTokens } from '../account-record.ts';
import { callVendor, stringField } from '../vendor-http.ts';
import { readCodexClaims } from './id-token.ts';

// OpenAI's auth server as the Codex CLI uses it (openai/codex codex-rs/login/src/server.rs, auth/manager.rs).
export const codexIssuer = 'https://auth.openai.com';
export const codexClientId = 'app_EMoamEEZ73f0CkXaXp7hrann';
export const codexScope = 'openid profile email offline_access';
export const codexOriginator = 'codex_cli_rs';
/** Used when the token answer says nothing about the access token's lifetime and it is not a JWT. */
const assumedLifetimeMs = 60 * 60_000;

interface TokenAnswer {
  id_token?: string;
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
}

export function tokensFromAnswer(body: TokenAnswer, previous: AccountTokens | undefined, now: number): AccountTokens {
  const accessToken = body.access_token ?? previous?.accessToken;
  const idToken = body.id_token ?? previous?.idToken;
  const grant = body.refresh_token ?? previous?.grant ?? '';
  const expiresAt =
    body.expires_in !== undefined ? now + body.expires_in * 1000 : (readCodexClaims(body.access_token).expiresAt ?? (body.access_token ? now + assumedLifetimeMs : previous?.expiresAt));
  return { grant, ...(accessToken ? { accessToken } : {}), ...(idToken ? { idToken } : {}), ...(expiresAt !== undefined ? { expiresAt } : {}) };
}

/** Who signed in, from the id_token: the ChatGPT account id is the identity (a second sign-in updates it). */
export function signedInFrom(tokens: AccountTokens): SignedIn {
  const claims = { ...readCodexClaims(tokens.accessToken), ...readCodexClaims(tokens.idToken) };
  const vendorAccountId = [claims.accountId, claims.userId].filter(Boolean).join(':') || claims.email || 'chatgpt';
  return { vendorAccountId, label: claims.email ?? claims.accountId ?? 'ChatGPT account', ...(claims.plan ? { plan: claims.plan } : {}), tokens };
}

/** Authorization code -> tokens (form-encoded, with the PKCE verifier). */
export async function exchangeCodexCode(context: KindContext, code: string, redirectUri: string, verifier: string): Promise<AccountTokens> {
  const answer = await callVendor(
    context.http,
    { url: `${codexIssuer}/oauth/token`, form: { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: context.clientId, code_verifier: verifier }, signal: context.signal },
    'auth.openai.com',
  );
  const body = answer.body as TokenAnswer | undefined;
  if (answer.status !== 200 || !body?.refresh_token || !body.access_token) {
    const detail = stringField(body, 'error_description') ?? stringField(body, 'error') ?? `HTTP ${answer.status}`;
    throw new Error(`ChatGPT did not accept the sign-in (${detail}). Nothing was stored.`);
  }
  return tokensFromAnswer(body, undefined, context.now());
}

