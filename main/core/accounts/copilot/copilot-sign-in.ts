import type { KindContext, PendingSignIn, SignInOptions, SignedIn } from '../account-kind.ts';
import type { DevicePoll } from '../device-flow.ts';
import { pollDeviceGrant } from '../device-flow.ts';
import { applyHostOverride } from '../host-overrides.ts';
import { SignInError } from '../sign-in-error.ts';
import { callVendor, numberField, stringField } from '../vendor-http.ts';
import { exchangeCopilotToken, readGithubUser } from './copilot-token.ts';

const deviceCodeUrl = 'https://github.com/login/device/code';
const accessTokenUrl = 'https://github.com/login/oauth/access_token';
const deviceGrantType = 'urn:ietf:params:oauth:grant-type:device_code';

/**
 * GitHub's device flow (RFC 8628 with GitHub's deviations: pending states and errors come back in a 2xx body), then
 * the first Copilot token exchange, which proves the account has Copilot before anything is stored.
 */
export async function startCopilotSignIn(context: KindContext, options: SignInOptions): Promise<PendingSignIn> {
  const started = await callVendor(context.http, { url: deviceCodeUrl, json: { client_id: context.clientId, scope: 'read:user' }, signal: context.signal }, 'github.com');
  const deviceCode = stringField(started.body, 'device_code');
  const userCode = stringField(started.body, 'user_code');
  const verificationUri = stringField(started.body, 'verification_uri');
  if (started.status >= 300 || !deviceCode || !userCode || !verificationUri) {
    throw new SignInError('vendor', `GitHub did not start a device sign-in (HTTP ${started.status}${stringField(started.body, 'error_description') ? `: ${stringField(started.body, 'error_description')}` : ''}).`);
  }
  const now = context.now();
  const expiresAt = now + Math.min((numberField(started.body, 'expires_in') ?? 900) * 1000, options.timeoutMs ?? Number.POSITIVE_INFINITY);
  const controller = new AbortController();
  const poll = async (signal: AbortSignal): Promise<DevicePoll<string>> => {
    const answer = await callVendor(context.http, { url: accessTokenUrl, json: { client_id: context.clientId, device_code: deviceCode, grant_type: deviceGrantType }, signal }, 'github.com');
    const token = stringField(answer.body, 'access_token');
    if (token) return { kind: 'token', value: token };
    const error = stringField(answer.body, 'error');
    const description = stringField(answer.body, 'error_description');
    if (error === 'slow_down') {
      const interval = numberField(answer.body, 'interval');
      return { kind: 'slow-down', ...(interval !== undefined ? { intervalMs: interval * 1000 } : {}) };
    }
    if (error === 'access_denied') return { kind: 'denied', ...(description ? { message: description } : {}) };
    if (error === 'expired_token') return { kind: 'expired', ...(description ? { message: description } : {}) };
    if (error === 'authorization_pending' || (answer.status < 300 && !error)) return { kind: 'pending' };
    throw new SignInError('vendor', `GitHub refused the device sign-in: ${description ?? error ?? `HTTP ${answer.status}`}. Nothing was stored.`);
  };
  const result = (async (): Promise<SignedIn> => {
    const githubToken = await pollDeviceGrant({ poll, intervalMs: (numberField(started.body, 'interval') ?? 5) * 1000, expiresAt, signal: controller.signal, vendor: 'GitHub', ...(context.clock ? { clock: context.clock } : {}) });
    const user = await readGithubUser(githubToken, context);
    const tokens = await exchangeCopilotToken(githubToken, context, (message) => new SignInError('vendor', `${message} Nothing was stored.`));
    return { vendorAccountId: user.id, label: user.login, ...(tokens.plan ? { plan: tokens.plan } : {}), tokens: tokens.tokens };
  })();
  result.catch(() => {});
  return {
    prompt: { kind: 'device', verificationUrl: applyHostOverride(verificationUri, context.http.hostOverrides), userCode, expiresAt },
    result,
    cancel: () => controller.abort(),
  };
}
