import { useEffect, useMemo, useState } from 'react';
import type { ApiClient } from './api/api-client.ts';
import { createApiClient } from './api/api-client.ts';
import { ApiProvider } from './api/api-context.tsx';
import { httpTransport } from './api/http-transport.ts';
import { forgetToken, signInFromLink, storedToken } from './api/web-session.ts';
import { AppShell } from './app-shell.tsx';
import { LoadingState } from './components/states.tsx';
import { ToastProvider } from './components/toasts.tsx';
import { SignInScreen } from './screens/sign-in-screen.tsx';

export function DesktopRoot({ client }: { client: ApiClient }) {
  return (
    <ApiProvider client={client}>
      <ToastProvider>
        <AppShell />
      </ToastProvider>
    </ApiProvider>
  );
}

type WebState = { kind: 'checking' } | { kind: 'signed-in' } | { kind: 'signed-out'; message?: string };

/** Web mode: trade the link's one-time code for the token (or use the one this tab already has), then the app. */
export function WebRoot() {
  const [state, setState] = useState<WebState>({ kind: 'checking' });
  const [live, setLive] = useState(false);

  useEffect(() => {
    let cancelled = false;
    void signInFromLink().then((outcome) => {
      if (cancelled) return;
      if (storedToken()) setState({ kind: 'signed-in' });
      else setState({ kind: 'signed-out', message: outcome && !outcome.ok ? outcome.message : undefined });
    });
    return () => {
      cancelled = true;
    };
  }, []);

  const client = useMemo(
    () =>
      state.kind === 'signed-in'
        ? createApiClient(
            httpTransport({
              token: storedToken,
              onUnauthorized: () => {
                forgetToken();
                setState({ kind: 'signed-out', message: 'Switchyard no longer accepts this session (it may have restarted with a new token). Sign in again.' });
              },
              onStreamChange: setLive,
            }),
          )
        : undefined,
    [state.kind],
  );

  if (state.kind === 'checking') {
    return (
      <div className="center-page">
        <LoadingState rows={2} label="Signing in" />
      </div>
    );
  }
  if (state.kind === 'signed-out' || !client) {
    return <SignInScreen message={state.kind === 'signed-out' ? state.message : undefined} onSignedIn={() => setState({ kind: 'signed-in' })} />;
  }
  return (
    <ApiProvider client={client}>
      <ToastProvider>
        <AppShell live={live} />
      </ToastProvider>
    </ApiProvider>
  );
}
