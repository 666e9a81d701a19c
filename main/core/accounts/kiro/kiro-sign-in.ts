import { createHash } from 'node:crypto';
import type { KindContext, PendingSignIn, SignInOptions, SignedIn } from '../account-kind.ts';
import type { AccountTokens, RegisteredClient } from '../account-record.ts';
import type { DevicePoll } from '../device-flow.ts';
import { pollDeviceGrant } from '../device-flow.ts';
import { applyHostOverride } from '../host-overrides.ts';
import { SignInError } from '../sign-in-error.ts';
import { callVendor, numberField, stringField } from '../vendor-http.ts';
import { awsErrorCode, awsErrorText, builderIdStartUrl, createToken, defaultKiroRegion, deviceCodeGrant, oidcHost, oidcOrigin, registeredClient, tokensFromCreateToken } from './kiro-oidc.ts';
import { chooseProfile, listKiroProfiles } from './kiro-profiles.ts';
import { readUsageLimits } from './kiro-usage-limits.ts';

const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The start URL and region the person asked for, checked before anything is sent to AWS. */
export function signInTarget(options: SignInOptions): { startUrl: string; region: string } {
  const region = options.region?.trim() || defaultKiroRegion;
  if (!regionPattern.test(region)) throw new SignInError('vendor', `"${region}" is not an AWS region (such as us-east-1). Nothing was stored.`);
  const startUrl = options.startUrl?.trim() || builderIdStartUrl;
  let parsed: URL;
  try {
    parsed = new URL(startUrl);
  } catch {
    throw new SignInError('vendor', `"${startUrl}" is not a start URL (such as https://my-company.awsapps.com/start). Nothing was stored.`);
  }
  if (parsed.protocol !== 'https:') throw new SignInError('vendor', `The start URL must be an https:// address, not "${startUrl}". Nothing was stored.`);
  return { startUrl: parsed.toString().replace(/\/+$/, ''), region };
}

/** Who signed in: the e-mail and user id getUsageLimits reports, or — when it says nothing — the grant itself. */
async function identify(tokens: AccountTokens, startUrl: string, context: KindContext): Promise<SignedIn> {
  const limits = await readUsageLimits(tokens.accessToken ?? '', context, tokens.profileArn).catch(() => undefined);
  const portal = startUrl === builderIdStartUrl ? 'AWS Builder ID' : new URL(startUrl).hostname;
  // Without a user id, a second sign-in cannot be recognised as the same account; it is added beside it.
  const fallbackId = `grant-${createHash('sha256').update(tokens.grant).digest('hex').slice(0, 16)}`;
  return {
    vendorAccountId: `${startUrl}|${limits?.userId ?? limits?.email ?? fallbackId}`,
    label: limits?.email ?? portal,
    ...(limits?.plan ? { plan: limits.plan } : {}),
    ...(tokens.profileArn ? { profileArn: tokens.profileArn } : {}),
    tokens,
  };
}

/**
 * IAM Identity Center accounts: the CodeWhisperer profile their requests name. AWS Builder ID accounts have none.
 * A portal whose ListAvailableProfiles fails or lists nothing still signs in: most set-ups need no profile, and
 * those that do refuse the requests with a message that says to sign in again.
 */
async function withProfile(tokens: AccountTokens, startUrl: string, context: KindContext): Promise<AccountTokens> {
  if (startUrl === builderIdStartUrl || !tokens.accessToken) return tokens;
  const profiles = await listKiroProfiles(tokens.accessToken, context).catch(() => []);
  const chosen = chooseProfile(profiles);
  return chosen ? { ...tokens, profileArn: chosen.arn } : tokens;
}

function pollAnswer(client: RegisteredClient, startUrl: string, context: KindContext) {
  return (answer: Awaited<ReturnType<typeof createToken>>): DevicePoll<AccountTokens> => {
    if (answer.status === 200) {
      const tokens = tokensFromCreateToken(answer.body, { grant: '', oauthClient: client, startUrl }, context.now());
      if (tokens) return { kind: 'token', value: tokens };
      throw new SignInError('vendor', 'AWS approved the sign-in but sent no tokens. Nothing was stored.');
    }
    const code = awsErrorCode(answer);
    const description = stringField(answer.body, 'error_description');
    if (code === 'authorization_pending') return { kind: 'pending' };
    if (code === 'slow_down') return { kind: 'slow-down' };
    if (code === 'access_denied') return { kind: 'denied', ...(description ? { message: description } : {}) };
    if (code === 'expired_token') return { kind: 'expired', ...(description ? { message: description } : {}) };
    throw new SignInError('vendor', `AWS refused the sign-in (${awsErrorText(answer)}). Nothing was stored.`);
  };
}

/**
 * Kiro's sign-in: AWS SSO OIDC's device authorization (RFC 8628 with AWS's camelCase JSON and exception names)
 * for AWS Builder ID by default, or an IAM Identity Center portal with its region. The registered client is kept
 * with the tokens: refreshing needs the same client.
 */
export async function startKiroSignIn(context: KindContext, options: SignInOptions): Promise<PendingSignIn> {
  const { startUrl, region } = signInTarget(options);
  let client: RegisteredClient;
  try {
    client = await registeredClient(context, region);
  } catch (error) {
    throw new SignInError('vendor', `${(error as Error).message} Nothing was stored.`, { cause: error });
  }
  const started = await callVendor(
    context.http,
    { url: `${oidcOrigin(region)}/device_authorization`, json: { clientId: client.clientId, clientSecret: client.clientSecret, startUrl }, signal: context.signal },
    oidcHost(region),
  );
  const deviceCode = stringField(started.body, 'deviceCode');
  const userCode = stringField(started.body, 'userCode');
  const verificationUri = stringField(started.body, 'verificationUriComplete') ?? stringField(started.body, 'verificationUri');
  if (started.status !== 200 || !deviceCode || !userCode || !verificationUri) {
    throw new SignInError('vendor', `AWS did not start a sign-in for ${startUrl} in ${region} (${awsErrorText(started)}). Check the start URL and region. Nothing was stored.`);
  }
  const expiresAt = context.now() + Math.min((numberField(started.body, 'expiresIn') ?? 600) * 1000, options.timeoutMs ?? Number.POSITIVE_INFINITY);
  const controller = new AbortController();
  const interpret = pollAnswer(client, startUrl, context);
  const poll = async (signal: AbortSignal) => interpret(await createToken(context, client, { deviceCode, grantType: deviceCodeGrant }, signal));
  const result = (async (): Promise<SignedIn> => {
    const tokens = await pollDeviceGrant({ poll, intervalMs: (numberField(started.body, 'interval') ?? 5) * 1000, expiresAt, signal: controller.signal, vendor: 'AWS', ...(context.clock ? { clock: context.clock } : {}) });
    return identify(await withProfile(tokens, startUrl, context), startUrl, context);
  })();
  result.catch(() => {});
  return {
    prompt: { kind: 'device', verificationUrl: applyHostOverride(verificationUri, context.http.hostOverrides), userCode, expiresAt },
    result,
    cancel: () => controller.abort(),
  };
}
