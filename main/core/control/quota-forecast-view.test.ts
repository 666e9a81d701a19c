import { describe, expect, it } from 'vitest';
import { quotaForecastViewSchema } from '../../../shared/quota-views.ts';
import type { GuardSnapshot, KeySnapshot } from '../guard/guard-snapshot.ts';
import { quotaForecastView } from './quota-forecast-view.ts';

// How the guard's snapshot and the ledger's recent activity become meters. The guard-window path is also covered
// end to end with a real engine (main/app/tray/tray-quota.test.ts); here the vendor readings, which need accounts.

const now = Date.UTC(2026, 11, 15, 12, 0, 0);
const hour = 3_600_000;

function key(overrides: Partial<KeySnapshot>): KeySnapshot {
  return {
    id: 'key-1', last4: 'fake', label: 'key-1', state: 'active', enabled: true, exhausted: [], inFlight: 0, maxConcurrent: null, windows: [],
    breaker: { state: 'closed' } as KeySnapshot['breaker'], requests: 0, errors: 0, rateLimited: 0, latencyP50Ms: null, weight: 1,
    ...overrides,
  };
}

function snapshot(providerId: string, keys: KeySnapshot[]): GuardSnapshot {
  return { takenAt: now, providers: [{ id: providerId, keys } as unknown as GuardSnapshot['providers'][number]] };
}

describe('quotaForecastView', () => {
  it("Copilot's premium requests count requests against the allowance, at the month's average rate", () => {
    const resetAt = Date.UTC(2027, 0, 1);
    const account = key({ id: 'copilot-octo', account: { login: 'octo', state: 'ready', quota: { readAt: now, windows: [{ name: 'premium requests', usedPercent: 60, remaining: 120, entitlement: 300, resetAt, windowMs: resetAt - Date.UTC(2026, 11, 1) }] } } });
    const view = quotaForecastView({ snapshot: snapshot('copilot', [account]), providers: [{ id: 'copilot', name: 'GitHub Copilot', type: 'copilot' }], now });
    quotaForecastViewSchema.parse(view);
    const [credential] = view.credentials;
    expect(credential).toMatchObject({ provider: 'copilot', providerName: 'GitHub Copilot', keyId: null, accountId: 'copilot-octo', label: 'octo' });
    const [meter] = credential!.meters;
    // 180 used in 14.5 days is 180/348 an hour; the 120 left last 232 h: out on 25 December, before the reset (ok: days away).
    expect(meter).toMatchObject({ source: 'vendor', unit: 'requests', used: 180, limit: 300, resetKind: 'fixed', resetAt, state: 'ok', runsOutAt: now + 232 * hour });
    expect(meter!.ratePerHour).toBeCloseTo(180 / 348, 10);
    // At half that pace it lasts past the reset: it does not run out.
    const slower = { ...account, account: { ...account.account!, quota: { readAt: now, windows: [{ ...account.account!.quota!.windows[0]!, remaining: 210 }] } } };
    expect(quotaForecastView({ snapshot: snapshot('copilot', [slower]), providers: [], now }).credentials[0]!.meters[0]).toMatchObject({ used: 90, runsOutAt: null, state: 'ok' });
  });

  it("a Codex window in percent runs out before its reset; a window the vendor says is unlimited is left out", () => {
    const account = key({
      id: 'codex-me',
      account: { login: 'me@example.com', state: 'ready', quota: { readAt: now, windows: [{ name: 'primary (5 h)', usedPercent: 80, resetAt: now + 3 * hour, windowMs: 5 * hour }, { name: 'extra', usedPercent: 0, unlimited: true }] } },
    });
    const view = quotaForecastView({ snapshot: snapshot('codex', [account]), providers: [{ id: 'codex', name: 'ChatGPT', type: 'codex' }], now });
    // 80% in 2 h is 40% an hour: the last 20% last 30 minutes.
    expect(view.credentials[0]!.meters).toEqual([
      expect.objectContaining({ name: 'primary (5 h)', unit: 'percent', used: 80, limit: 100, ratePerHour: 40, runsOutAt: now + hour / 2, state: 'soon' }),
    ]);
  });

  it('a Gemini key the vendor took out for the day resets at midnight Pacific; keys without limits are not listed', () => {
    const midnightPacific = Date.UTC(2026, 11, 16, 8, 0, 0);
    const out = key({ id: 'key-2', state: 'exhausted', exhausted: [{ model: 'gemini-2.5-flash', until: midnightPacific, reason: 'quota exhausted' }] });
    const view = quotaForecastView({ snapshot: snapshot('gemini', [key({}), out]), providers: [{ id: 'gemini', name: 'Gemini', type: 'gemini' }], now });
    expect(view.credentials.map((credential) => credential.keyId)).toEqual(['key-2']);
    expect(view.credentials[0]!.meters[0]).toMatchObject({ name: 'quota for gemini-2.5-flash', state: 'out', resetAt: midnightPacific, resetTimeZone: 'America/Los_Angeles' });
  });

  it("configured windows: the ledger's last hour is the rate, the window's first request says when it frees up", () => {
    const limited = key({ id: 'key-1', windows: [{ name: 'perMinute', windowMs: 60_000, used: 1, limit: 10 }, { name: 'perDay', windowMs: 24 * hour, used: 240, limit: 250 }] });
    const usage = (requests: number, firstUsedAt: number) => ({ provider: 'gemini', keyId: 'key-1', accountId: null, firstUsedAt, lastUsedAt: now, totals: { requests } as never });
    const view = quotaForecastView({
      snapshot: snapshot('gemini', [limited]),
      providers: [{ id: 'gemini', name: 'Gemini', type: 'gemini' }],
      activity: { lastHour: [usage(20, now - hour + 1)], lastDay: [usage(240, now - 20 * hour)] },
      now,
    });
    expect(view.rateFrom).toBe('ledger');
    // The minute window is not forecast; the day: 10 left at 20 an hour is 30 minutes.
    expect(view.credentials[0]!.meters).toEqual([
      expect.objectContaining({ name: 'daily limit', source: 'guard', used: 240, limit: 250, ratePerHour: 20, resetKind: 'rolling', resetAt: now + 4 * hour, runsOutAt: now + hour / 2, state: 'soon' }),
    ]);
    // Without a ledger the window's own average is the rate (240 a day is 10 an hour: an hour left).
    const guardOnly = quotaForecastView({ snapshot: snapshot('gemini', [limited]), providers: [], now });
    expect(guardOnly.credentials[0]!.meters[0]).toMatchObject({ ratePerHour: 10, runsOutAt: now + hour, resetAt: null });
  });
});
