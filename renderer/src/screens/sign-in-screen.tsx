import { useState } from 'react';
import type { FormEvent } from 'react';
import { tryToken } from '../api/web-session.ts';
import { Button } from '../components/button.tsx';
import { Field } from '../components/field.tsx';
import { LockIcon } from '../components/icons.tsx';
import { Notice } from '../components/states.tsx';

/**
 * Web mode without a session: the link `serve` printed was already used, expired, or the tab was closed. The
 * management token from credentials.json also works; it is checked against the server, then kept for this tab only.
 */
export function SignInScreen({ message, onSignedIn }: { message?: string; onSignedIn(): void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token.trim()) {
      setError('Paste the management token first.');
      return;
    }
    setBusy(true);
    const outcome = await tryToken(token.trim());
    setBusy(false);
    if (outcome.ok) onSignedIn();
    else setError(outcome.message);
  };

  return (
    <main className="center-page">
      <div className="sign-in card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          Switchyard
        </div>
        <h1>Open the dashboard</h1>
        <p className="muted">
          Open the link that <code>switchyard serve</code> printed when it started. Each link signs in once and works for 15 minutes.
        </p>
        {message && (
          <Notice tone="warn" title="Not signed in">
            {message}
          </Notice>
        )}
        <form onSubmit={submit} className="stack">
          <Field label="Or paste the management token" hint={<>It is the <code>managementToken</code> in <code>credentials.json</code> in Switchyard's data folder. This tab keeps it until you close it.</>} error={error}>
            <input type="password" autoComplete="off" spellCheck={false} value={token} onChange={(event) => setToken(event.target.value)} />
          </Field>
          <Button type="submit" variant="primary" icon={<LockIcon />} busy={busy}>
            Sign in
          </Button>
        </form>
      </div>
    </main>
  );
}
