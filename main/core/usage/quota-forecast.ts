// At the current rate, when does a limit or quota run out, and does that happen before it resets? Pure: the clock
// and the rate are given, so every case is a unit test (quota-forecast.test.ts).
import type { ForecastState } from '../../../shared/quota-views.ts';

export interface QuotaMeter {
  used: number;
  limit: number;
  resetKind: 'rolling' | 'fixed' | 'unknown';
  /** fixed: the reset; rolling: when the oldest counted request leaves the window. */
  resetAt: number | null;
}

export interface QuotaForecast {
  runsOutAt: number | null;
  state: ForecastState;
}

const hourMs = 3_600_000;

/** By default a meter warns when it runs out within two hours: time to switch keys or slow down. */
export const defaultWarnWithinMs = 2 * hourMs;

/**
 * `ratePerHour`: units (requests or percent) used per hour lately; null when unknown. A fixed quota that would
 * run out only after its reset does not run out. A rolling window is forecast as if the requests already in it
 * stayed (they leave one by one, so the real moment is the same or later): an early warning, never a late one.
 */
export function forecastQuota(meter: QuotaMeter, ratePerHour: number | null, now: number, warnWithinMs = defaultWarnWithinMs): QuotaForecast {
  if (meter.limit <= 0 || meter.used >= meter.limit) return { runsOutAt: now, state: 'out' };
  if (ratePerHour === null || !(ratePerHour > 0)) return { runsOutAt: null, state: 'ok' };
  const runsOutAt = Math.round(now + ((meter.limit - meter.used) / ratePerHour) * hourMs);
  if (meter.resetKind === 'fixed' && meter.resetAt !== null && meter.resetAt <= runsOutAt) return { runsOutAt: null, state: 'ok' };
  return { runsOutAt, state: runsOutAt - now <= warnWithinMs ? 'soon' : 'ok' };
}

/**
 * The rate of a vendor window that says only how much is used and when it resets: its average since the window
 * began (reset minus length). Null without both, or in the first minutes, when one request would look like a flood.
 */
export function averageRateSinceWindowStart(used: number, resetAt: number | undefined, windowMs: number | undefined, now: number): number | null {
  if (resetAt === undefined || windowMs === undefined || windowMs <= 0) return null;
  const elapsed = now - (resetAt - windowMs);
  if (elapsed < 10 * 60_000 || elapsed > windowMs) return null;
  return used / (elapsed / hourMs);
}
