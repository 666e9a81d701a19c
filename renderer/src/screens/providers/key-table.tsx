import type { KeyView, ProviderView } from '../../../../shared/api-contract.ts';
import { useApi } from '../../api/api-context.tsx';
import { IconButton } from '../../components/button.tsx';
import { RefreshIcon, TrashIcon } from '../../components/icons.tsx';
import { Notice } from '../../components/states.tsx';
import { StatusPill } from '../../components/status-pill.tsx';
import { Toggle } from '../../components/toggle.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { keyTone, keyWords, until } from '../describe.ts';

const sourceWords: Record<KeyView['source'], string> = { keychain: 'Keychain', env: 'Environment', inline: 'Settings file', account: 'Signed in' };

function KeyRow({ provider, keyView, readOnly, onChanged }: { provider: ProviderView; keyView: KeyView; readOnly: boolean; onChanged(): void }) {
  const api = useApi();
  const change = useAction(async (action: 'enable' | 'disable' | 'reset' | 'remove') => {
    const target = { providerId: provider.id, keyId: keyView.id };
    if (action === 'remove') await api.call('keys.remove', target);
    else if (action === 'reset') await api.call('keys.reset', target);
    else await api.call('keys.update', { ...target, enabled: action === 'enable' });
    onChanged();
  });
  const name = keyView.label ?? keyView.id;
  const resting = keyView.enabled && (keyView.status === 'cooling' || keyView.status === 'exhausted' || keyView.status === 'disabled');
  const detail = [keyView.detail, keyView.until ? `back ${until(keyView.until)}` : null].filter(Boolean).join(' · ');
  return (
    <tr data-testid={`key-${keyView.id}`}>
      <th scope="row">
        {name}
        {keyView.label && <span className="muted small"> ({keyView.id})</span>}
      </th>
      <td className="mono">{keyView.last4 ? `…${keyView.last4}` : '—'}</td>
      <td>{sourceWords[keyView.source]}</td>
      <td>
        <StatusPill tone={keyTone(keyView.status)}>{keyWords(keyView.status)}</StatusPill>
        {detail && <div className="muted small key-detail">{detail}</div>}
        {change.error && <div className="field-error">{change.error.message}</div>}
      </td>
      <td>
        <Toggle label={`Use key ${name}`} hideLabel checked={keyView.enabled} disabled={readOnly} busy={change.busy} onChange={(enabled) => void change.run(enabled ? 'enable' : 'disable')} />
      </td>
      <td className="row-actions">
        {resting && <IconButton label={`Put key ${name} back in service`} icon={<RefreshIcon />} size="small" onClick={() => void change.run('reset')} />}
        {!readOnly && <IconButton label={`Remove key ${name}`} icon={<TrashIcon />} size="small" onClick={() => void change.run('remove')} />}
      </td>
    </tr>
  );
}

export function KeyTable({ provider, readOnly, onChanged }: { provider: ProviderView; readOnly: boolean; onChanged(): void }) {
  if (provider.keys.length === 0) {
    if (!provider.needsKey) return <Notice tone="info">No key needed: Switchyard talks to {provider.id} without one. Add a key only if something in front of it asks for one.</Notice>;
    return <Notice tone="info">No keys yet. Add one so Switchyard can use {provider.id}.</Notice>;
  }
  return (
    <div className="table-wrap">
      <table className="table keys-table">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Ends in</th>
            <th scope="col">Stored in</th>
            <th scope="col">State</th>
            <th scope="col">In use</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {provider.keys.map((key) => (
            <KeyRow key={key.id} provider={provider} keyView={key} readOnly={readOnly} onChanged={onChanged} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
