import type { KindContext } from '../account-kind.ts';
import type { AccountTokens, RegisteredClient } from '../account-record.ts';
import type { VendorAnswer } from '../vendor-http.ts';
import { callVendor, numberField, stringField } from '../vendor-http.ts';

// AWS SSO OIDC as Kiro signs in with it (AWS Builder ID or an IAM Identity Center portal): a public client registered
// at run time, then the device-code grant, then refresh_token grants — all JSON with AWS's camelCase field names
// (docs/accounts.md "Kiro"; AWS SSO OIDC API reference; decolua/9router src/lib/oauth/services/kiro.js).

export const builderIdStartUrl = 'https://view.awsapps.com/start';
export const defaultKiroRegion = 'us-east-1';
export const deviceCodeGrant = 'urn:ietf:params:oauth:grant-type:device_code';
const scopes = ['codewhisperer:completions', 'codewhisperer:analysis', 'codewhisperer:conversations'];
/** A registration is renewed this long before AWS says it expires, so a sign-in never starts on a dying client. */
const renewBeforeMs = 24 * 60 * 60_000;

export function oidcOrigin(region: string): string {
  return `https://oidc.${region}.amazonaws.com`;
}

export function oidcHost(region: string): string {
  return `oidc.${region}.amazonaws.com`;
}

/**
 * The error an AWS answer names, in OAuth's snake_case: the body's `error` ("authorization_pending"), else the
 * exception name from `__type` or the `x-amzn-errortype` header ("AuthorizationPendingException" ->
 * "authorization_pending"), so both spellings AWS uses lead to one decision.
 */
export function awsErrorCode(answer: VendorAnswer): string | undefined {
  const direct = stringField(answer.body, 'error');
  if (direct) return direct;
  const header = answer.headers['x-amzn-errortype'];
  const named = stringField(answer.body, '__type') ?? (Array.isArray(header) ? header[0] : header);
  if (!named) return undefined;
  // "com.amazonaws.ssooidc#SlowDownException" in bodies, "SlowDownException:http://internal..." in the header.
  const bare = named.includes('#') ? named.slice(named.lastIndexOf('#') + 1) : named.split(':')[0]!;
  return bare
    .replace(/Exception$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

export function awsErrorText(answer: VendorAnswer): string {
  const description = stringField(answer.body, 'error_description') ?? stringField(answer.body, 'message') ?? stringField(answer.body, 'Message');
  const code = awsErrorCode(answer) ?? `HTTP ${answer.status}`;
  return description ? `${code}: ${description}` : code;
}

function parseRegistration(text: string | undefined, region: string): RegisteredClient | undefined {
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<RegisteredClient>;
    if (typeof parsed.clientId !== 'string' || typeof parsed.clientSecret !== 'string' || typeof parsed.expiresAt !== 'number') return undefined;
    return { clientId: parsed.clientId, clientSecret: parsed.clientSecret, expiresAt: parsed.expiresAt, region };
  } catch {
    return undefined;
  }
}

/**
 * The public OIDC client for this region: the one registered earlier (kept in the SecretStore) while it has more
 * than a day left, else a new RegisterClient whose answer is kept for the next sign-in.
 */
export async function registeredClient(context: KindContext, region: string): Promise<RegisteredClient> {
  const vaultId = `oidc-client:${region}`;
  const kept = parseRegistration(await context.vault?.get(vaultId), region);
  if (kept && kept.expiresAt - renewBeforeMs > context.now()) return kept;
  const answer = await callVendor(
    context.http,
    { url: `${oidcOrigin(region)}/client/register`, json: { clientName: 'Switchyard', clientType: 'public', scopes, grantTypes: [deviceCodeGrant, 'refresh_token'] }, signal: context.signal },
    oidcHost(region),
  );
  const clientId = stringField(answer.body, 'clientId');
  const clientSecret = stringField(answer.body, 'clientSecret');
  const expiresAtSeconds = numberField(answer.body, 'clientSecretExpiresAt');
  if (answer.status !== 200 || !clientId || !clientSecret || expiresAtSeconds === undefined) {
    throw new Error(`AWS did not register a sign-in client in ${region} (${awsErrorText(answer)}).`);
  }
  const client: RegisteredClient = { clientId, clientSecret, expiresAt: expiresAtSeconds * 1000, region };
  await context.vault?.set(vaultId, JSON.stringify({ clientId, clientSecret, expiresAt: client.expiresAt }));
  return client;
}

interface TokenAnswer {
  accessToken?: string;
  refreshToken?: string;
  expiresIn?: number;
}

/** A CreateToken answer as stored tokens; a refresh that returns no new refresh token keeps the old one. */
export function tokensFromCreateToken(body: unknown, previous: Pick<AccountTokens, 'grant' | 'startUrl' | 'profileArn'> & { oauthClient: RegisteredClient }, now: number): AccountTokens | undefined {
  const answer = (body ?? {}) as TokenAnswer;
  if (typeof answer.accessToken !== 'string' || answer.accessToken.length === 0) return undefined;
  const grant = typeof answer.refreshToken === 'string' && answer.refreshToken.length > 0 ? answer.refreshToken : previous.grant;
  if (!grant) return undefined;
  const lifetimeSeconds = typeof answer.expiresIn === 'number' && answer.expiresIn > 0 ? answer.expiresIn : 3600;
  return {
    grant,
    accessToken: answer.accessToken,
    expiresAt: now + lifetimeSeconds * 1000,
    oauthClient: previous.oauthClient,
    ...(previous.startUrl ? { startUrl: previous.startUrl } : {}),
    ...(previous.profileArn ? { profileArn: previous.profileArn } : {}),
  };
}

/** CreateToken on the region's OIDC endpoint (device-code poll or refresh). */
export function createToken(context: KindContext, client: RegisteredClient, grant: Record<string, string>, signal?: AbortSignal): Promise<VendorAnswer> {
  return callVendor(
    context.http,
    { url: `${oidcOrigin(client.region)}/token`, json: { clientId: client.clientId, clientSecret: client.clientSecret, ...grant }, ...(signal ? { signal } : {}) },
    oidcHost(client.region),
  );
}
