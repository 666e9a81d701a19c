import { useCallback, useState } from 'react';
import { ApiCallError } from '../api/api-client.ts';

export interface ActionState<A extends unknown[], R> {
  run(...args: A): Promise<R | undefined>;
  busy: boolean;
  error: ApiCallError | undefined;
  clearError(): void;
}

/** Runs a change (a call to main) and tracks busy and error for the button and form that started it. */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>): ActionState<A, R> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiCallError>();
  const run = useCallback(
    async (...args: A) => {
      setBusy(true);
      setError(undefined);
      try {
        return await action(...args);
      } catch (failure) {
        setError(failure instanceof ApiCallError ? failure : new ApiCallError({ code: 'internal', message: failure instanceof Error ? failure.message : String(failure) }));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [action],
  );
  return { run, busy, error, clearError: () => setError(undefined) };
}
