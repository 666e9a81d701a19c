import { useCallback, useEffect, useRef, useState } from 'react';
import type { RequestLogEntrySummary, RequestLogEntryView, RequestLogStatusView } from '../../../../shared/request-log-views.ts';
import { useApi } from '../../api/api-context.tsx';

/** How often the open screen asks again, so new entries and the switch's countdown show up without a reload. */
const liveEveryMs = 3_000;

export interface RequestLogData {
  status: RequestLogStatusView | undefined;
  entries: RequestLogEntrySummary[];
  selected: RequestLogEntryView | undefined;
  selectedId: number | undefined;
  error: string | undefined;
  loading: boolean;
  select(id: number): void;
  reload(): Promise<void>;
  /** Runs a change (start, stop, clear) and shows the status it returns. */
  change(run: () => Promise<RequestLogStatusView>): Promise<void>;
}

const message = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));

export function useRequestLog(): RequestLogData {
  const api = useApi();
  const [status, setStatus] = useState<RequestLogStatusView>();
  const [entries, setEntries] = useState<RequestLogEntrySummary[]>([]);
  const [selectedId, setSelectedId] = useState<number>();
  const [selected, setSelected] = useState<RequestLogEntryView>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const selecting = useRef(0);

  const reload = useCallback(async () => {
    try {
      const [nextStatus, page] = await Promise.all([api.call('requestLog.status', {}), api.call('requestLog.list', { limit: 100 })]);
      setStatus(nextStatus);
      setEntries(page.entries);
      setError(undefined);
    } catch (failure) {
      setError(message(failure));
    } finally {
      setLoading(false);
    }
  }, [api]);

  const select = useCallback(
    (id: number) => {
      const mine = ++selecting.current;
      setSelectedId(id);
      api.call('requestLog.read', { id }).then(
        (entry) => mine === selecting.current && setSelected(entry),
        (failure: unknown) => mine === selecting.current && (setSelected(undefined), setError(message(failure))),
      );
    },
    [api],
  );

  useEffect(() => {
    void reload();
    const timer = setInterval(() => void reload(), liveEveryMs);
    return () => clearInterval(timer);
  }, [reload]);

  // The newest entry is shown until the person picks one; a cleared log shows nothing.
  useEffect(() => {
    if (entries.length === 0) {
      setSelectedId(undefined);
      setSelected(undefined);
    } else if (selectedId === undefined || !entries.some((entry) => entry.id === selectedId)) select(entries[0]!.id);
  }, [entries, selectedId, select]);

  const change = async (run: () => Promise<RequestLogStatusView>) => {
    try {
      setStatus(await run());
      setError(undefined);
      await reload();
    } catch (failure) {
      setError(message(failure));
    }
  };

  return { status, entries, selected, selectedId, error, loading, select, reload, change };
}
