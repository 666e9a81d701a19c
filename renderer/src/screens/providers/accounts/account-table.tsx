import type { AccountFacts, KeyView, ProviderView } from '../../../../../shared/api-contract.ts';
import { useApi } from '../../../api/api-context.tsx';
import { Button, IconButton } from '../../../components/button.tsx';
import { RefreshIcon, TrashIcon } from '../../../components/icons.tsx';
import { Notice } from '../../../components/states.tsx';
import { StatusPill } from '../../../components/status-pill.tsx';
import { useAction } from '../../../hooks/use-action.ts';
import { keyTone, keyWords, until } from '../../describe.ts';

/** One usage window in words: "premium requests: 120 of 300 left", "5h window: 42% used, resets in 3 h". */
export function quotaWords(quota: AccountFacts['quota']): string[] {
  if (!quota) return [];
  return quota.windows.map((window) => {
    if (window.unlimited) return `${window.name}: unlimited`;
    const amount = window.remaining !== null && window.entitlement !== null ? `${window.remaining} of ${window.entitlement} left` : `${Math.round(window.usedPercent)}% used`;
    const reset = window.resetAt ? `, resets ${until(window.resetAt)}` : '';
    return `${window.name}: ${amount}${reset}`;
  });
}

function AccountRow({ keyView, account, onSignInAgain, onChanged }: { keyView: KeyView; account: AccountFacts; onSignInAgain(): void; onChanged(): void }) {
  const api = useApi();
  const remove = useAction(async () => {
    await api.call('accounts.remove', { accountId: keyView.id });
    onChanged();
  });
  const needsSignIn = account.state === 'sign-in-again';
  const detail = [keyView.detail, keyView.until ? `back ${until(keyView.until)}` : null].filter(Boolean).join(' · ');
  return (
    <tr data-testid={`account-${keyView.id}`}>
      <th scope="row">
        {account.login}
        {account.project && <div className="muted small mono">project {account.project}</div>}
      </th>
      <td>{account.plan ?? '—'}</td>
      <td>
        <StatusPill tone={needsSignIn ? 'warn' : keyTone(keyView.status)}>{needsSignIn ? 'Sign in again' : keyView.status === 'unknown' ? 'Ready' : keyWords(keyView.status)}</StatusPill>
        {detail && <div className="muted small key-detail">{detail}</div>}
        {remove.error && <div className="field-error">{remove.error.message}</div>}
      </td>
      <td className="small">{quotaWords(account.quota).map((line) => <div key={line}>{line}</div>)}{!account.quota && <span className="muted">not read yet</span>}</td>
      <td className="row-actions">
        {needsSignIn ? (
          <Button size="small" variant="primary" icon={<RefreshIcon />} onClick={onSignInAgain}>
            Sign in again
          </Button>
        ) : (
          <IconButton label={`Sign ${account.login} in again`} icon={<RefreshIcon />} size="small" onClick={onSignInAgain} />
        )}
        <IconButton label={`Remove account ${account.login}`} icon={<TrashIcon />} size="small" busy={remove.busy} onClick={() => void remove.run()} />
      </td>
    </tr>
  );
}

/**
 * A copilot / codex provider's signed-in accounts, listed like keys: login, plan, state, quota. Never a token.
 * Accounts live in accounts.json, not in the settings, so they can be added and removed even when the settings are
 * a read-only --config file.
 */
export function AccountTable({ provider, onSignIn, onChanged }: { provider: ProviderView; onSignIn(): void; onChanged(): void }) {
  const rows = provider.keys.flatMap((key) => (key.account ? [{ key, account: key.account }] : []));
  if (rows.length === 0) return <Notice tone="info">No account signed in yet. Sign in so Switchyard can use {provider.id}.</Notice>;
  return (
    <div className="table-wrap">
      <table className="table keys-table">
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">Plan</th>
            <th scope="col">State</th>
            <th scope="col">Quota</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ key, account }) => (
            <AccountRow key={key.id} keyView={key} account={account} onSignInAgain={onSignIn} onChanged={onChanged} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
