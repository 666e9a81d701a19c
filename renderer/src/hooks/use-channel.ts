import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiChannel, ApiEvent, ApiResult } from '../../../shared/api-contract.ts';
import type { apiContract } from '../../../shared/api-contract.ts';
import { ApiCallError } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';

type ReadChannel = { [C in ApiChannel]: (typeof apiContract)[C]['method'] extends 'GET' ? C : never }[ApiChannel];

export interface ChannelState<C extends ReadChannel> {
  data: ApiResult<C> | undefined;
  error: ApiCallError | undefined;
  /** True until the first answer (later reloads keep showing the data they replace). */
  loading: boolean;
  reload(): Promise<void>;
  setData(data: ApiResult<C>): void;
}

function asApiError(error: unknown): ApiCallError {
  return error instanceof ApiCallError ? error : new ApiCallError({ code: 'internal', message: error instanceof Error ? error.message : String(error) });
}

/**
 * Reads a GET channel and keeps it fresh: again whenever one of `reloadOn` arrives (by default when settings
 * change), at most once per `minIntervalMs`.
 */
export function useChannel<C extends ReadChannel>(channel: C, options: { reloadOn?: ApiEvent[]; minIntervalMs?: number } = {}): ChannelState<C> {
  const api = useApi();
  const [data, setData] = useState<ApiResult<C>>();
  const [error, setError] = useState<ApiCallError>();
  const [loading, setLoading] = useState(true);
  const lastLoad = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const reloadOn = (options.reloadOn ?? ['config.changed']).join(',');
  const minIntervalMs = options.minIntervalMs ?? 0;

  const reload = useCallback(async () => {
    lastLoad.current = Date.now();
    try {
      const result = await (api.call as (channel: C) => Promise<ApiResult<C>>)(channel);
      setData(result);
      setError(undefined);
    } catch (failure) {
      setError(asApiError(failure));
    } finally {
      setLoading(false);
    }
  }, [api, channel]);

  useEffect(() => {
    void reload();
    const events = reloadOn ? (reloadOn.split(',') as ApiEvent[]) : [];
    const schedule = () => {
      if (pending.current) return;
      const wait = Math.max(0, lastLoad.current + minIntervalMs - Date.now());
      pending.current = setTimeout(() => {
        pending.current = undefined;
        void reload();
      }, wait);
    };
    const stops = events.map((event) => api.on(event, schedule));
    return () => {
      for (const stop of stops) stop();
      if (pending.current) clearTimeout(pending.current);
      pending.current = undefined;
    };
  }, [api, reload, reloadOn, minIntervalMs]);

  return { data, error, loading, reload, setData };
}
