import { useCallback, useEffect, useRef, useState } from 'react';
import type { UsageLatencyView } from '../../../../shared/latency-views.ts';
import type { QuotaForecastView } from '../../../../shared/quota-views.ts';
import type { CredentialUsageView, LedgerStatusView, UsageRequestPage, UsageSummaryView } from '../../../../shared/usage-views.ts';
import { useApi } from '../../api/api-context.tsx';
import type { UsageRange } from './usage-series.ts';
import { rangeWindow } from './usage-series.ts';

export type SeriesGrouping = 'provider' | 'model';

export interface UsageData {
  summary: UsageSummaryView | undefined;
  recent: UsageRequestPage | undefined;
  status: LedgerStatusView | undefined;
  latency: UsageLatencyView | undefined;
  credentials: CredentialUsageView[] | undefined;
  /** Limits and forecasts come from the guard, so they are shown even when the ledger cannot answer. */
  forecast: QuotaForecastView | undefined;
  /** Why the ledger could not answer (recording off, not serving, database unavailable). */
  error: string | undefined;
  loading: boolean;
  reload(): void;
}

/** How often the open screen asks again: new requests show up without a reload. */
const liveEveryMs = 10_000;

/** The Usage screen's data for one range and grouping, fetched again every few seconds while the screen is open. */
export function useUsage(range: UsageRange, groupBy: SeriesGrouping): UsageData {
  const api = useApi();
  const [summary, setSummary] = useState<UsageSummaryView>();
  const [recent, setRecent] = useState<UsageRequestPage>();
  const [status, setStatus] = useState<LedgerStatusView>();
  const [latency, setLatency] = useState<UsageLatencyView>();
  const [credentials, setCredentials] = useState<CredentialUsageView[]>();
  const [forecast, setForecast] = useState<QuotaForecastView>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);

  const load = useCallback(async () => {
    const mine = ++generation.current;
    const span = rangeWindow(range, Date.now());
    const [ledgerStatus, nextForecast] = await Promise.all([api.call('usage.status', {}).catch(() => undefined), api.call('quota.forecast', {}).catch(() => undefined)]);
    if (mine === generation.current) setForecast(nextForecast);
    try {
      const [nextSummary, nextRecent, nextLatency, nextCredentials] = await Promise.all([
        api.call('usage.summary', { ...span, bucket: range.bucket, groupBy }),
        api.call('usage.recent', { from: span.from, limit: 25 }),
        api.call('usage.latency', { ...span, bucket: range.bucket }),
        api.call('usage.credentials', span),
      ]);
      if (mine !== generation.current) return;
      setSummary(nextSummary);
      setRecent(nextRecent);
      setLatency(nextLatency);
      setCredentials(nextCredentials.credentials);
      setError(undefined);
    } catch (failure) {
      if (mine !== generation.current) return;
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      if (mine === generation.current) {
        setStatus(ledgerStatus);
        setLoading(false);
      }
    }
  }, [api, range, groupBy]);

  useEffect(() => {
    setLoading(true);
    void load();
    const timer = setInterval(() => void load(), liveEveryMs);
    return () => clearInterval(timer);
  }, [load]);

  return { summary, recent, status, latency, credentials, forecast, error, loading, reload: () => void load() };
}
