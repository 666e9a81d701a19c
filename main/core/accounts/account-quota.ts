import type { QuotaWindow } from '../guard/account-standing.ts';

export type { AccountQuota, QuotaWindow } from '../guard/account-standing.ts';

/** Without a reset time, a used-up window is checked again after this long. */
const unknownResetMs = 60 * 60_000;

/** The latest end of the windows that are used up (100%), if any. */
export function exhaustedUntil(windows: readonly QuotaWindow[], now: number): number | undefined {
  let until: number | undefined;
  for (const window of windows) {
    if (window.unlimited || window.usedPercent < 100) continue;
    const end = window.resetAt ?? now + unknownResetMs;
    if (end > now) until = Math.max(until ?? 0, end);
  }
  return until;
}
