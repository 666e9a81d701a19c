import { copilotGithubHeaders } from '../../providers/copilot/copilot-headers.ts';
import type { KindContext } from '../account-kind.ts';
import type { AccountTokens } from '../account-record.ts';
import { callVendor, numberField, stringField } from '../vendor-http.ts';

const userUrl = 'https://api.github.com/user';
const copilotTokenUrl = 'https://api.github.com/copilot_internal/v2/token';
export const defaultCopilotApi = 'https://api.githubcopilot.com';

export async function readGithubUser(githubToken: string, context: KindContext): Promise<{ id: string; login: string }> {
  const answer = await callVendor(context.http, { url: userUrl, headers: copilotGithubHeaders(githubToken), signal: context.signal }, 'api.github.com');
  const login = stringField(answer.body, 'login');
  const id = numberField(answer.body, 'id') ?? stringField(answer.body, 'id');
  if (answer.status !== 200 || !login || id === undefined) throw new Error(`GitHub did not say who signed in (HTTP ${answer.status}).`);
  return { id: String(id), login };
}

/**
 * The Copilot token exchange (GET /copilot_internal/v2/token with the GitHub token): a short-lived Copilot token,
 * when to refresh it (`refresh_in`), and the API origin for this account (`endpoints.api`). `refused` builds the
 * error for an answer that means the GitHub token no longer works for Copilot.
 */
export async function exchangeCopilotToken(
  githubToken: string,
  context: KindContext,
  refused: (message: string) => Error,
): Promise<{ tokens: AccountTokens; plan?: string }> {
  const answer = await callVendor(context.http, { url: copilotTokenUrl, headers: copilotGithubHeaders(githubToken), signal: context.signal }, 'api.github.com');
  if (answer.status === 401) throw refused('GitHub no longer accepts the sign-in (the token was revoked or expired).');
  if (answer.status === 403 || answer.status === 404) {
    throw refused(`This GitHub account has no Copilot access (HTTP ${answer.status}${stringField(answer.body, 'message') ? `: ${stringField(answer.body, 'message')}` : ''}).`);
  }
  const token = stringField(answer.body, 'token');
  const expiresAtSeconds = numberField(answer.body, 'expires_at');
  if (answer.status !== 200 || !token || expiresAtSeconds === undefined) throw new Error(`The Copilot token exchange failed (HTTP ${answer.status}).`);
  const now = context.now();
  const refreshIn = numberField(answer.body, 'refresh_in');
  const endpoints = (answer.body as { endpoints?: { api?: unknown } }).endpoints;
  const api = typeof endpoints?.api === 'string' ? endpoints.api : defaultCopilotApi;
  const plan = stringField(answer.body, 'sku');
  return {
    tokens: {
      grant: githubToken,
      accessToken: token,
      expiresAt: expiresAtSeconds * 1000,
      ...(refreshIn !== undefined ? { refreshAt: now + refreshIn * 1000 } : {}),
      apiBaseUrl: api.replace(/\/+$/, ''),
    },
    ...(plan ? { plan } : {}),
  };
}
