import { useEffect, useRef } from 'react';
import type { ApiEvent, ApiEventPayload } from '../../../shared/api-contract.ts';
import { useApi } from '../api/api-context.tsx';

/** Calls `listener` for each `event` from main while the component is mounted. */
export function useEvent<E extends ApiEvent>(event: E, listener: (payload: ApiEventPayload<E>) => void): void {
  const api = useApi();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => api.on(event, (payload) => latest.current(payload)), [api, event]);
}
