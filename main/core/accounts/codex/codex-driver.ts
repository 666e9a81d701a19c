import type { ResponseHeaders } from '../../guard/guard-contract.ts';
import type { AccountKindDriver } from '../account-kind.ts';
import { GrantRefusedError } from '../account-kind.ts';
import type { AccountQuota, QuotaWindow } from '../account-quota.ts';
import { exhaustedUntil } from '../account-quota.ts';
import { callVendor, stringField } from '../vendor-http.ts';
import { codexClientId, codexIssuer, codexOriginator, tokensFromAnswer } from './codex-oauth.ts';
import { readCodexClaims } from './id-token.ts';
import { startCodexBrowserSignIn, startCodexDeviceSignIn } from './codex-sign-in.ts';

/** Refresh answers that mean the grant is gone for good (openai/codex codex-rs/login/src/auth/manager.rs). */
const finalRefreshErrors = new Set(['invalid_grant', 'refresh_token_expired', 'refresh_token_reused', 'refresh_token_invalidated']);

function header(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function codexWindow(headers: ResponseHeaders, which: 'primary' | 'secondary', now: number): QuotaWindow | undefined {
  const used = Number(header(headers, `x-codex-${which}-used-percent`));
  if (!Number.isFinite(used)) return undefined;
  const resetAtSeconds = Number(header(headers, `x-codex-${which}-reset-at`));
  const resetAfter = Number(header(headers, `x-codex-${which}-reset-after-seconds`));
  const minutes = Number(header(headers, `x-codex-${which}-window-minutes`));
  const resetAt = Number.isFinite(resetAtSeconds) && resetAtSeconds > 0 ? resetAtSeconds * 1000 : Number.isFinite(resetAfter) ? now + resetAfter * 1000 : undefined;
  const name = Number.isFinite(minutes) ? `${which} (${minutes >= 1440 ? `${Math.round(minutes / 1440)} d` : `${Math.round(minutes / 60)} h`})` : which;
  return { name, usedPercent: Math.max(0, Math.min(100, used)), ...(resetAt !== undefined ? { resetAt } : {}), ...(Number.isFinite(minutes) && minutes > 0 ? { windowMs: minutes * 60_000 } : {}) };
}

/** ChatGPT (Codex) as an account kind: PKCE or device sign-in, rotating refresh tokens, x-codex-* usage windows. */
export const codexDriver: AccountKindDriver = {
  kind: 'codex',
  vendor: 'ChatGPT',
  defaultClientId: codexClientId,
  // Access tokens live for hours; refreshing five minutes early keeps a long stream from starting on a dying token.
  refreshLeadMs: 5 * 60_000,
  refreshJitterMs: 60_000,
  signIn: (context, options) => (options.device ? startCodexDeviceSignIn(context, options) : startCodexBrowserSignIn(context, options)),

  async refresh(tokens, context) {
    // JSON, not form-encoded: that is what the auth server takes for refresh_token grants from this client.
    const answer = await callVendor(
      context.http,
      { url: `${codexIssuer}/oauth/token`, json: { client_id: context.clientId, grant_type: 'refresh_token', refresh_token: tokens.grant, scope: 'openid profile email' }, signal: context.signal },
      'auth.openai.com',
    );
    if (answer.status === 200) return tokensFromAnswer(answer.body as object, tokens, context.now());
    const error = (answer.body as { error?: unknown } | undefined)?.error;
    const code = typeof error === 'string' ? error : (stringField(error, 'code') ?? stringField(error, 'type'));
    if ((code && finalRefreshErrors.has(code)) || answer.status === 400 || answer.status === 401) {
      throw new GrantRefusedError(`ChatGPT refused to refresh the sign-in (${code ?? `HTTP ${answer.status}`}).`);
    }
    throw new Error(`ChatGPT's token refresh failed (HTTP ${answer.status}); it will be tried again.`);
  },

  credential(tokens) {
    const claims = { ...readCodexClaims(tokens.accessToken), ...readCodexClaims(tokens.idToken) };
    return {
      token: tokens.accessToken ?? '',
      headers: { ...(claims.accountId ? { 'chatgpt-account-id': claims.accountId } : {}), originator: codexOriginator },
    };
  },

  quotaFromHeaders(headers, now): AccountQuota | undefined {
    const windows = [codexWindow(headers, 'primary', now), codexWindow(headers, 'secondary', now)].filter((window): window is QuotaWindow => window !== undefined);
    if (windows.length === 0) return undefined;
    const until = exhaustedUntil(windows, now);
    return { windows, readAt: now, ...(until !== undefined ? { exhaustedUntil: until } : {}) };
  },
};
