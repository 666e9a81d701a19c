// The limits and quotas of every key and signed-in account, each with its forecast (docs/usage.md, "Limits and
// forecasts"). The figures are the ones the guard acts on: the guard's own request windows for configured limits,
// the vendor's quota reading for accounts (the same object the guard consults when it picks a key), and the
// vendor's "quota used up" for keys it took out until a reset. The current rate comes from the usage ledger.
import type { QuotaForecastView, QuotaMeterView } from '../../../shared/quota-views.ts';
import type { CredentialUsageView } from '../../../shared/usage-views.ts';
import type { QuotaWindow } from '../guard/account-standing.ts';
import type { GuardSnapshot, KeySnapshot } from '../guard/guard-snapshot.ts';
import type { WindowUsage } from '../guard/rate-limiter.ts';
import { averageRateSinceWindowStart, defaultWarnWithinMs, forecastQuota } from '../usage/quota-forecast.ts';

const hourMs = 3_600_000;
const dayMs = 86_400_000;

/** Requests per key or account lately, from the ledger: the last hour's count and the first request of each window. */
export interface RecentActivity {
  lastHour: readonly CredentialUsageView[];
  lastDay: readonly CredentialUsageView[];
}

export interface QuotaForecastInput {
  snapshot: GuardSnapshot;
  providers: ReadonlyArray<{ id: string; name: string; type: string }>;
  /** Undefined when the engine keeps no ledger: the rate then comes from the guard's own windows. */
  activity?: RecentActivity;
  now: number;
  warnWithinMs?: number;
}

/** The windows a forecast is useful for: a minute's limits refill before anyone could act on a warning. */
const forecastWindows: Partial<Record<WindowUsage['name'], string>> = { perHour: 'hourly limit', perDay: 'daily limit' };

function find(list: readonly CredentialUsageView[] | undefined, provider: string, key: KeySnapshot): CredentialUsageView | undefined {
  return list?.find((entry) => entry.provider === provider && (key.account ? entry.accountId === key.id : entry.keyId === key.id));
}

function isPacificMidnight(at: number): boolean {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'America/Los_Angeles', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(at));
  return parts === '00:00';
}

function meter(fields: Omit<QuotaMeterView, 'runsOutAt' | 'state'>, now: number, warnWithinMs: number): QuotaMeterView {
  return { ...fields, ...forecastQuota(fields, fields.ratePerHour, now, warnWithinMs) };
}

function guardMeters(provider: string, key: KeySnapshot, input: QuotaForecastInput, warnWithinMs: number): QuotaMeterView[] {
  const { now, activity } = input;
  return key.windows.flatMap((window) => {
    const name = forecastWindows[window.name];
    if (!name) return [];
    const recent = find(window.windowMs >= dayMs ? activity?.lastDay : activity?.lastHour, provider, key);
    const lastHour = find(activity?.lastHour, provider, key);
    // The ledger's last hour when there is a ledger; else the window's own average.
    const ratePerHour = activity ? (lastHour?.totals.requests ?? 0) : window.used / (window.windowMs / hourMs);
    const resetAt = recent?.firstUsedAt != null ? recent.firstUsedAt + window.windowMs : null;
    return [meter({ name, source: 'guard', unit: 'requests', used: window.used, limit: window.limit, resetKind: 'rolling', resetAt, resetTimeZone: null, windowMs: window.windowMs, ratePerHour }, now, warnWithinMs)];
  });
}

function vendorWindowMeter(window: QuotaWindow, now: number, warnWithinMs: number): QuotaMeterView | undefined {
  if (window.unlimited) return undefined;
  const counted = window.entitlement !== undefined && window.remaining !== undefined && window.entitlement > 0;
  const used = counted ? Math.max(0, window.entitlement! - window.remaining!) : window.usedPercent;
  const limit = counted ? window.entitlement! : 100;
  return meter(
    {
      name: window.name,
      source: 'vendor',
      unit: counted ? 'requests' : 'percent',
      used,
      limit,
      resetKind: window.resetAt === undefined ? 'unknown' : 'fixed',
      resetAt: window.resetAt ?? null,
      resetTimeZone: null,
      windowMs: window.windowMs ?? null,
      ratePerHour: averageRateSinceWindowStart(used, window.resetAt, window.windowMs, now),
    },
    now,
    warnWithinMs,
  );
}

/** A key the vendor said is out of quota (a Gemini per-day 429): out until the reset the guard waits for. */
function exhaustedMeters(key: KeySnapshot, type: string, now: number, warnWithinMs: number): QuotaMeterView[] {
  return key.exhausted.map((entry) =>
    meter(
      {
        name: `quota for ${entry.model}`,
        source: 'vendor',
        unit: 'percent',
        used: 100,
        limit: 100,
        resetKind: 'fixed',
        resetAt: entry.until,
        resetTimeZone: type === 'gemini' && isPacificMidnight(entry.until) ? 'America/Los_Angeles' : null,
        windowMs: null,
        ratePerHour: null,
      },
      now,
      warnWithinMs,
    ),
  );
}

export function quotaForecastView(input: QuotaForecastInput): QuotaForecastView {
  const warnWithinMs = input.warnWithinMs ?? defaultWarnWithinMs;
  const credentials: QuotaForecastView['credentials'] = [];
  for (const provider of input.snapshot.providers) {
    const config = input.providers.find((candidate) => candidate.id === provider.id);
    for (const key of provider.keys) {
      const vendor = (key.account?.quota?.windows ?? []).map((window) => vendorWindowMeter(window, input.now, warnWithinMs)).filter((entry) => entry !== undefined);
      const meters = [...guardMeters(provider.id, key, input, warnWithinMs), ...vendor, ...exhaustedMeters(key, config?.type ?? '', input.now, warnWithinMs)];
      if (meters.length === 0) continue;
      credentials.push({
        provider: provider.id,
        providerName: config?.name ?? provider.id,
        keyId: key.account ? null : key.id,
        accountId: key.account ? key.id : null,
        label: key.account ? key.account.login : key.id,
        meters,
      });
    }
  }
  return { takenAt: input.now, warnWithinMs, rateFrom: input.activity ? 'ledger' : 'guard', credentials };
}
