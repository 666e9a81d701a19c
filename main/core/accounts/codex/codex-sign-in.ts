import type { KindContext, PendingSignIn, SignInOptions, SignedIn } from '../account-kind.ts';
import type { DevicePoll } from '../device-flow.ts';
import { pollDeviceGrant } from '../device-flow.ts';
import { applyHostOverride } from '../host-overrides.ts';
import { codeFromRedirectUrl, firstCode, openLoopbackListener, pastedAnswer } from '../loopback-listener.ts';
import { createPkcePair, createState } from '../pkce.ts';
import { SignInError } from '../sign-in-error.ts';
import { callVendor, numberField, stringField } from '../vendor-http.ts';
import { codexIssuer, codexOriginator, codexScope, exchangeCodexCode, signedInFrom } from './codex-oauth.ts';

/** OpenAI registered only these loopback ports for the Codex client (openai/codex codex-rs/login/src/server.rs). */
export const codexCallbackPorts = [1455, 1457] as const;
const callbackPath = '/auth/callback';
const defaultTimeoutMs = 10 * 60_000;

function authorizeUrl(context: KindContext, redirectUri: string, challenge: string, state: string): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: context.clientId,
    redirect_uri: redirectUri,
    scope: codexScope,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    id_token_add_organizations: 'true',
    codex_cli_simplified_flow: 'true',
    state,
    originator: codexOriginator,
  });
  return applyHostOverride(`${codexIssuer}/oauth/authorize?${query.toString()}`, context.http.hostOverrides);
}

/**
 * ChatGPT sign-in with authorization code + PKCE + state on the loopback callback (127.0.0.1:1455, else 1457).
 * When both ports are taken, or the browser runs on another machine, the person pastes the address the browser was
 * sent to instead; `ssh -L` makes the loopback flow work from another machine.
 */
export async function startCodexBrowserSignIn(context: KindContext, options: SignInOptions): Promise<PendingSignIn> {
  const pkce = createPkcePair();
  const state = createState();
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const ports = options.callbackPorts ?? codexCallbackPorts;
  const listener = await openLoopbackListener({ ports, path: callbackPath, state, timeoutMs, redirectHost: 'localhost', ...(context.clock ? { clock: context.clock } : {}) });
  const port = listener?.port ?? ports[0] ?? 1455;
  const redirectUri = listener?.redirectUri ?? `http://localhost:${port}${callbackPath}`;
  const paste = pastedAnswer((url) => codeFromRedirectUrl(url, state));
  const result = (async (): Promise<SignedIn> => {
    // However the flow ends (callback, paste, refusal, cancel), nothing keeps listening.
    const code = await firstCode(listener, paste);
    return signedInFrom(await exchangeCodexCode(context, code, redirectUri, pkce.verifier));
  })();
  result.catch(() => {});
  return {
    prompt: {
      kind: 'browser',
      url: authorizeUrl(context, redirectUri, pkce.challenge, state),
      listening: listener !== undefined,
      redirectUri,
      pasteHint: listener
        ? `If the browser runs on another machine, the page after signing in will not load: copy its address (starting ${redirectUri}) and paste it here.`
        : `Ports ${ports.join(' and ')} are in use (is the Codex CLI signing in?), so nothing listens for the browser. After signing in, the browser shows a page that does not load: copy its address (starting ${redirectUri}) and paste it here.`,
      sshHint: `ssh -L ${port}:127.0.0.1:${port} <host>`,
      expiresAt: context.now() + timeoutMs,
    },
    result,
    cancel: () => {
      listener?.cancel();
      paste.abandon(new SignInError('cancelled', 'The sign-in was cancelled. Nothing was stored.'));
    },
    submitRedirectUrl: (url) => paste.submit(url),
  };
}

/**
 * The Codex CLI's own device-code flow (not RFC 8628): a user code to enter at {issuer}/codex/device, polled until
 * the auth server hands back an authorization code and its verifier, which is then exchanged like the browser's.
 */
export async function startCodexDeviceSignIn(context: KindContext, options: SignInOptions): Promise<PendingSignIn> {
  const started = await callVendor(context.http, { url: `${codexIssuer}/api/accounts/deviceauth/usercode`, json: { client_id: context.clientId }, signal: context.signal }, 'auth.openai.com');
  const deviceAuthId = stringField(started.body, 'device_auth_id');
  const userCode = stringField(started.body, 'user_code') ?? stringField(started.body, 'usercode');
  if (started.status !== 200 || !deviceAuthId || !userCode) {
    throw new SignInError('vendor', `ChatGPT did not start a device sign-in (HTTP ${started.status}). Device sign-in may be switched off for this workspace; use the browser sign-in.`);
  }
  const intervalSeconds = numberField(started.body, 'interval') ?? Number(stringField(started.body, 'interval') ?? 5);
  const expiresAt = context.now() + Math.min(15 * 60_000, options.timeoutMs ?? defaultTimeoutMs * 1.5);
  const controller = new AbortController();
  const poll = async (signal: AbortSignal): Promise<DevicePoll<{ code: string; verifier: string }>> => {
    const answer = await callVendor(context.http, { url: `${codexIssuer}/api/accounts/deviceauth/token`, json: { device_auth_id: deviceAuthId, user_code: userCode }, signal }, 'auth.openai.com');
    // 403 / 404 mean "not approved yet" (openai/codex codex-rs/login/src/device_code_auth.rs).
    if (answer.status === 403 || answer.status === 404) return { kind: 'pending' };
    const code = stringField(answer.body, 'authorization_code');
    const verifier = stringField(answer.body, 'code_verifier');
    if (answer.status === 200 && code && verifier) return { kind: 'token', value: { code, verifier } };
    const error = stringField(answer.body, 'error') ?? stringField((answer.body as { error?: unknown } | undefined)?.error, 'code');
    if (error === 'access_denied') return { kind: 'denied' };
    if (error === 'expired_token') return { kind: 'expired' };
    throw new SignInError('vendor', `ChatGPT refused the device sign-in (HTTP ${answer.status}). Nothing was stored.`);
  };
  const result = (async (): Promise<SignedIn> => {
    const grant = await pollDeviceGrant({ poll, intervalMs: intervalSeconds * 1000, expiresAt, signal: controller.signal, vendor: 'ChatGPT', ...(context.clock ? { clock: context.clock } : {}) });
    return signedInFrom(await exchangeCodexCode(context, grant.code, `${codexIssuer}/deviceauth/callback`, grant.verifier));
  })();
  result.catch(() => {});
  return {
    prompt: { kind: 'device', verificationUrl: applyHostOverride(`${codexIssuer}/codex/device`, context.http.hostOverrides), userCode, expiresAt },
    result,
    cancel: () => controller.abort(),
  };
}
