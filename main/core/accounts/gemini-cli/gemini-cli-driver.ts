import { codeAssistBaseUrl } from '../../providers/gemini-cli/code-assist-endpoint.ts';
import type { AccountKindDriver, KindContext } from '../account-kind.ts';
import type { AccountQuota, QuotaWindow } from '../account-quota.ts';
import type { AccountTokens } from '../account-record.ts';
import { callVendor } from '../vendor-http.ts';
import { startGeminiCliSignIn } from './gemini-cli-sign-in.ts';
import { clientSecretNeeded, geminiCliClientId, refreshGoogleTokens } from './google-oauth.ts';

/** One quota bucket of retrieveUserQuota (google-gemini/gemini-cli packages/core/src/code_assist/types.ts BucketInfo). */
interface QuotaBucket {
  modelId?: string;
  tokenType?: string;
  remainingAmount?: string;
  remainingFraction?: number;
  resetTime?: string;
}

/** Code Assist's quota buckets as usage windows: one per model (and token type), used = 1 - remaining fraction. */
export function quotaFromBuckets(buckets: readonly QuotaBucket[], now: number): AccountQuota {
  const windows = buckets.map((bucket): QuotaWindow => {
    const resetAt = bucket.resetTime ? Date.parse(bucket.resetTime) : Number.NaN;
    const remaining = bucket.remainingAmount !== undefined ? Number(bucket.remainingAmount) : Number.NaN;
    const fraction = typeof bucket.remainingFraction === 'number' ? Math.max(0, Math.min(1, bucket.remainingFraction)) : undefined;
    return {
      name: [bucket.modelId ?? 'all models', bucket.tokenType ? `(${bucket.tokenType.toLowerCase()})` : ''].filter(Boolean).join(' '),
      usedPercent: fraction === undefined ? 0 : Math.round((1 - fraction) * 1000) / 10,
      ...(Number.isFinite(resetAt) ? { resetAt } : {}),
      ...(Number.isFinite(remaining) ? { remaining } : {}),
    };
  });
  // Buckets are per model: one used up takes the account out for that model only (the guard learns it from the 429);
  // only when every bucket is spent is the whole account out until the earliest reset.
  const spent = windows.length > 0 && windows.every((window) => window.usedPercent >= 100);
  const resets = windows.map((window) => window.resetAt).filter((at): at is number => at !== undefined && at > now);
  const until = spent ? (resets.length > 0 ? Math.min(...resets) : now + 60 * 60_000) : undefined;
  return { windows, readAt: now, ...(until !== undefined ? { exhaustedUntil: until } : {}) };
}

/** Gemini CLI's Google sign-in (Code Assist) as an account kind: Google OAuth, the Cloud project, quota buckets. */
export const geminiCliDriver: AccountKindDriver = {
  kind: 'gemini-cli',
  vendor: 'Google',
  defaultClientId: geminiCliClientId,
  // Access tokens live an hour; five minutes early keeps a long stream from starting on a dying token.
  refreshLeadMs: 5 * 60_000,
  refreshJitterMs: 60_000,
  quotaPerModel: true,
  signInBlocker: (context) => (context.clientSecret ? undefined : { title: 'Set this provider’s oauth.clientSecret first', message: clientSecretNeeded }),
  signIn: startGeminiCliSignIn,
  refresh: (tokens: AccountTokens, context: KindContext) => refreshGoogleTokens(tokens, context),

  credential(tokens) {
    return { token: tokens.accessToken ?? '', headers: {}, ...(tokens.project ? { project: tokens.project } : {}) };
  },

  async readQuota(tokens, context): Promise<AccountQuota | undefined> {
    if (!tokens.accessToken || !tokens.project) return undefined;
    const answer = await callVendor(
      context.http,
      { url: `${codeAssistBaseUrl}:retrieveUserQuota`, headers: { authorization: `Bearer ${tokens.accessToken}` }, json: { project: tokens.project }, signal: context.signal },
      'cloudcode-pa.googleapis.com',
    );
    const buckets = (answer.body as { buckets?: unknown } | undefined)?.buckets;
    if (answer.status !== 200 || !Array.isArray(buckets)) return undefined;
    return quotaFromBuckets(buckets as QuotaBucket[], context.now());
  },
};
