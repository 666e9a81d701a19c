import type { KindContext, PendingSignIn, SignInOptions, SignedIn } from '../account-kind.ts';
import type { AccountTokens } from '../account-record.ts';
import { flowClock } from '../flow-clock.ts';
import { applyHostOverride } from '../host-overrides.ts';
import { codeFromRedirectUrl, firstCode, openLoopbackListener, pastedAnswer } from '../loopback-listener.ts';
import { createPkcePair, createState } from '../pkce.ts';
import { SignInError } from '../sign-in-error.ts';
import { setUpCodeAssist } from './code-assist-setup.ts';
import { clientSecretNeeded, exchangeGoogleCode, googleAuthorizeUrl, googleScopes, readGoogleUser } from './google-oauth.ts';

/** Google's page that shows the authorization code to paste back (Gemini CLI's no-browser sign-in). */
export const googleCodePageUri = 'https://codeassist.google.com/authcode';
const callbackPath = '/oauth2callback';
const defaultTimeoutMs = 10 * 60_000;

function authorizeUrl(context: KindContext, redirectUri: string, challenge: string, state: string): string {
  const query = new URLSearchParams({
    client_id: context.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: googleScopes.join(' '),
    // Offline access is what yields a refresh token; consent makes Google issue one again on a second sign-in.
    access_type: 'offline',
    prompt: 'consent',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  });
  return applyHostOverride(`${googleAuthorizeUrl}?${query.toString()}`, context.http.hostOverrides);
}

/** After the code exchange: who signed in, and the Cloud project (entered, or found through Code Assist). */
async function finish(context: KindContext, tokens: AccountTokens, options: SignInOptions): Promise<SignedIn> {
  const user = await readGoogleUser(context, tokens.accessToken!);
  const setup = await setUpCodeAssist(context, tokens.accessToken!, {
    ...(options.project ? { project: options.project } : {}),
    ...(options.onboardingPollMs !== undefined ? { pollIntervalMs: options.onboardingPollMs } : {}),
    ...(context.clock ? { clock: context.clock } : {}),
  });
  // One Google account may serve with several projects (each has its own quota): each pair is its own account.
  return { vendorAccountId: `${user.id}:${setup.project}`, label: user.email, plan: setup.tier, project: setup.project, tokens: { ...tokens, project: setup.project } };
}

/** A pasted answer: the address the browser ended on (checked for the flow's state), or the bare code Google showed. */
function pastedCode(pasted: string, state: string): string {
  const text = pasted.trim();
  if (/^https?:\/\//i.test(text)) return codeFromRedirectUrl(text, state);
  if (!/^[\w./~-]{10,}$/.test(text)) throw new SignInError('vendor', 'That does not look like the code Google showed. Copy the whole code from the page (or the whole address the browser ended on) and paste it again.');
  return text;
}

/**
 * Google sign-in for Code Assist, authorization code + PKCE + state. With a browser on this machine the code comes
 * back to a loopback listener (127.0.0.1, any free port: Google accepts any loopback port for installed apps);
 * `device` (no browser here) uses Google's code page instead, and the person pastes the code shown there. Either way
 * the address the browser ended on can be pasted too.
 */
export async function startGeminiCliSignIn(context: KindContext, options: SignInOptions): Promise<PendingSignIn> {
  if (!context.clientSecret) throw new SignInError('vendor', clientSecretNeeded);
  const pkce = createPkcePair();
  const state = createState();
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const ports = options.callbackPorts ?? [0];
  const listener = options.device
    ? undefined
    : await openLoopbackListener({ ports, path: callbackPath, state, timeoutMs, redirectHost: '127.0.0.1', ...(context.clock ? { clock: context.clock } : {}) });
  if (!options.device && !listener) throw new SignInError('ports-busy', 'Switchyard could not listen for the browser on 127.0.0.1. Use the sign-in without a browser (--device) instead.');
  const redirectUri = listener?.redirectUri ?? googleCodePageUri;
  const paste = pastedAnswer((text) => pastedCode(text, state));
  // Without a listener nothing else ends the wait: the pasted code is awaited as long as a listener would be.
  const pasteTimer = listener
    ? undefined
    : (context.clock ?? flowClock).setTimer(timeoutMs, () => paste.abandon(new SignInError('expired', `The sign-in was not completed within ${Math.round(timeoutMs / 60_000)} minutes. Nothing was stored; start again.`)));
  const result = (async (): Promise<SignedIn> => {
    let code: string;
    try {
      code = await firstCode(listener, paste);
    } finally {
      pasteTimer?.cancel();
    }
    return finish(context, await exchangeGoogleCode(context, code, redirectUri, pkce.verifier), options);
  })();
  result.catch(() => {});
  const url = authorizeUrl(context, redirectUri, pkce.challenge, state);
  const expiresAt = context.now() + timeoutMs;
  const cancel = () => {
    listener?.cancel();
    paste.abandon(new SignInError('cancelled', 'The sign-in was cancelled. Nothing was stored.'));
  };
  if (!listener) {
    return {
      prompt: { kind: 'code', url, pasteHint: 'Open the address in a browser on any device, sign in to Google and allow access; then paste the authorization code Google shows.', expiresAt },
      result,
      cancel,
      submitRedirectUrl: (text) => paste.submit(text),
    };
  }
  return {
    prompt: {
      kind: 'browser',
      url,
      listening: true,
      redirectUri,
      pasteHint: `If the browser runs on another machine, the page after signing in will not load: copy its address (starting ${redirectUri}) and paste it here.`,
      sshHint: `ssh -L ${listener.port}:127.0.0.1:${listener.port} <host>`,
      expiresAt,
    },
    result,
    cancel,
    submitRedirectUrl: (text) => paste.submit(text),
  };
}
