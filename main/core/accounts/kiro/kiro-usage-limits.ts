import { codewhispererOrigin, kiroHeaders, kiroOrigin } from '../../providers/kiro/kiro-endpoint.ts';
import type { KindContext } from '../account-kind.ts';
import type { AccountQuota, QuotaWindow } from '../account-quota.ts';
import { exhaustedUntil } from '../account-quota.ts';
import { callVendor } from '../vendor-http.ts';

// CodeWhisperer's getUsageLimits, as the Kiro IDE reads it (decolua/9router open-sse/services/usage.js): per resource
// type the credits used and the limit (`…WithPrecision`), an optional free-trial allowance on top, the next reset,
// the plan's title and — with isEmailRequired — who the account is. The exact field set is observed, not documented.

interface UsageBreakdown {
  resourceType?: unknown;
  currentUsageWithPrecision?: unknown;
  usageLimitWithPrecision?: unknown;
  currentUsage?: unknown;
  usageLimit?: unknown;
  freeTrialInfo?: { currentUsageWithPrecision?: unknown; usageLimitWithPrecision?: unknown; freeTrialStatus?: unknown };
}

interface UsageLimitsAnswer {
  usageBreakdownList?: UsageBreakdown[];
  nextDateReset?: unknown;
  subscriptionInfo?: { subscriptionTitle?: unknown };
  userInfo?: { email?: unknown; userId?: unknown };
}

export interface KiroUsageLimits {
  quota?: AccountQuota;
  email?: string;
  userId?: string;
  plan?: string;
}

const number = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/** Epoch seconds, epoch ms or an ISO date, as the answers carry it. */
function resetTime(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e12 ? value * 1000 : value;
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

function windowOf(breakdown: UsageBreakdown, resetAt: number | undefined): QuotaWindow | undefined {
  let used = number(breakdown.currentUsageWithPrecision) ?? number(breakdown.currentUsage);
  let limit = number(breakdown.usageLimitWithPrecision) ?? number(breakdown.usageLimit);
  if (used === undefined || limit === undefined) return undefined;
  const trial = breakdown.freeTrialInfo;
  // An active free trial adds its credits to the plan's: the account is out only when both are spent.
  const trialActive = trial !== undefined && (trial.freeTrialStatus === undefined || trial.freeTrialStatus === 'ACTIVE');
  if (trialActive) {
    used += number(trial.currentUsageWithPrecision) ?? 0;
    limit += number(trial.usageLimitWithPrecision) ?? 0;
  }
  const kind = (text(breakdown.resourceType) ?? 'credits').toLowerCase().replace(/_/g, ' ');
  return {
    name: trialActive ? `${kind} (with free trial)` : kind,
    usedPercent: limit > 0 ? Math.max(0, Math.min(100, (used / limit) * 100)) : 0,
    remaining: Math.max(0, limit - used),
    entitlement: limit,
    ...(resetAt !== undefined ? { resetAt } : {}),
  };
}

/** The parsed answer; the quota is undefined when it lists no usable figures. */
export function parseUsageLimits(body: unknown, now: number): KiroUsageLimits {
  const answer = (body ?? {}) as UsageLimitsAnswer;
  const resetAt = resetTime(answer.nextDateReset);
  const windows = (Array.isArray(answer.usageBreakdownList) ? answer.usageBreakdownList : []).map((entry) => windowOf(entry, resetAt)).filter((window): window is QuotaWindow => window !== undefined);
  const until = exhaustedUntil(windows, now);
  const email = text(answer.userInfo?.email);
  const userId = text(answer.userInfo?.userId);
  const plan = text(answer.subscriptionInfo?.subscriptionTitle);
  return {
    ...(windows.length > 0 ? { quota: { windows, readAt: now, ...(until !== undefined ? { exhaustedUntil: until } : {}) } } : {}),
    ...(email ? { email } : {}),
    ...(userId ? { userId } : {}),
    ...(plan ? { plan } : {}),
  };
}

/** Reads the account's usage limits (and who it is); undefined when CodeWhisperer does not answer with them. */
export async function readUsageLimits(accessToken: string, context: KindContext, profileArn?: string): Promise<KiroUsageLimits | undefined> {
  const query = new URLSearchParams({ origin: kiroOrigin, resourceType: 'AGENTIC_REQUEST', isEmailRequired: 'true', ...(profileArn ? { profileArn } : {}) });
  const answer = await callVendor(
    context.http,
    { url: `${codewhispererOrigin}/getUsageLimits?${query.toString()}`, headers: { ...kiroHeaders(), authorization: `Bearer ${accessToken}` }, signal: context.signal },
    new URL(codewhispererOrigin).host,
  );
  if (answer.status !== 200) return undefined;
  return parseUsageLimits(answer.body, context.now());
}
