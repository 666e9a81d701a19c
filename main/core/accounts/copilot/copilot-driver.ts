import { copilotGithubHeaders } from '../../providers/copilot/copilot-headers.ts';
import type { AccountKindDriver } from '../account-kind.ts';
import { GrantRefusedError } from '../account-kind.ts';
import type { AccountQuota, QuotaWindow } from '../account-quota.ts';
import { exhaustedUntil } from '../account-quota.ts';
import { callVendor } from '../vendor-http.ts';
import { startCopilotSignIn } from './copilot-sign-in.ts';
import { exchangeCopilotToken } from './copilot-token.ts';

const quotaUrl = 'https://api.github.com/copilot_internal/user';

/** The Copilot editor plugin's public OAuth app (used by the open-source Copilot proxies and LiteLLM). */
export const copilotClientId = 'Iv1.b507a08c87ecfe98';

interface QuotaSnapshot {
  entitlement?: number;
  remaining?: number;
  percent_remaining?: number;
  unlimited?: boolean;
  overage_permitted?: boolean;
}

/** The allowance is monthly: the window began the same day and time of the month before its reset (UTC). */
function monthBefore(resetAt: number): number {
  const date = new Date(resetAt);
  date.setUTCMonth(date.getUTCMonth() - 1);
  return date.getTime();
}

/** GitHub Copilot as an account kind: GitHub device flow, Copilot token exchange, premium-request quota. */
export const copilotDriver: AccountKindDriver = {
  kind: 'copilot',
  vendor: 'GitHub Copilot',
  defaultClientId: copilotClientId,
  // Copilot tokens live about 25-30 minutes and come with refresh_in; refresh a minute ahead, as its clients do.
  refreshLeadMs: 60_000,
  refreshJitterMs: 20_000,
  signIn: startCopilotSignIn,

  async refresh(tokens, context) {
    const fresh = await exchangeCopilotToken(tokens.grant, context, (message) => new GrantRefusedError(message));
    return fresh.tokens;
  },

  credential(tokens) {
    return { token: tokens.accessToken ?? '', ...(tokens.apiBaseUrl ? { baseUrl: tokens.apiBaseUrl } : {}), headers: {} };
  },

  async readQuota(tokens, context): Promise<AccountQuota | undefined> {
    const answer = await callVendor(context.http, { url: quotaUrl, headers: copilotGithubHeaders(tokens.grant), signal: context.signal }, 'api.github.com');
    if (answer.status !== 200) return undefined;
    const body = answer.body as { quota_reset_date?: string; quota_snapshots?: Record<string, QuotaSnapshot> } | undefined;
    const premium = body?.quota_snapshots?.premium_interactions;
    if (!premium) return undefined;
    const resetAt = body?.quota_reset_date ? Date.parse(body.quota_reset_date) : Number.NaN;
    const percentRemaining = premium.percent_remaining ?? (premium.entitlement ? ((premium.remaining ?? 0) / premium.entitlement) * 100 : 100);
    const window: QuotaWindow = {
      name: 'premium requests',
      usedPercent: premium.unlimited ? 0 : Math.max(0, Math.min(100, 100 - percentRemaining)),
      ...(Number.isFinite(resetAt) ? { resetAt, windowMs: resetAt - monthBefore(resetAt) } : {}),
      ...(premium.remaining !== undefined ? { remaining: premium.remaining } : {}),
      ...(premium.entitlement !== undefined ? { entitlement: premium.entitlement } : {}),
      ...(premium.unlimited ? { unlimited: true } : {}),
    };
    const now = context.now();
    // With overage allowed, requests go on past the allowance (billed): the account is not out of quota.
    const until = premium.overage_permitted ? undefined : exhaustedUntil([window], now);
    return { windows: [window], readAt: now, ...(until !== undefined ? { exhaustedUntil: until } : {}) };
  },
};
