import { useState } from 'react';
import type { ProviderView } from '../../../../shared/api-contract.ts';
import { isAccountProviderType } from '../../../../shared/config/provider-schema.ts';
import { useApi } from '../../api/api-context.tsx';
import { Button } from '../../components/button.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { PlusIcon, TrashIcon } from '../../components/icons.tsx';
import { Notice } from '../../components/states.tsx';
import { StatusPill } from '../../components/status-pill.tsx';
import { Toggle } from '../../components/toggle.tsx';
import { useToast } from '../../components/toasts.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { catalogEntry } from '../../provider-catalog.ts';
import { healthTone, healthWords } from '../describe.ts';
import { AccountTable } from './accounts/account-table.tsx';
import { SignInDialog } from './accounts/sign-in-dialog.tsx';
import { AddKeysForm } from './add-keys-form.tsx';
import { KeyTable } from './key-table.tsx';
import { ModelsEditor } from './models-editor.tsx';
import { TestConnection } from './test-connection.tsx';

/** `signInFirst`: open the sign-in dialog at once (a copilot / codex provider that was just added). */
export function ProviderCard({ provider, readOnly, onChanged, signInFirst = false }: { provider: ProviderView; readOnly: boolean; onChanged(): void; signInFirst?: boolean }) {
  const api = useApi();
  const toast = useToast();
  const [addingKeys, setAddingKeys] = useState(false);
  const accountKind = isAccountProviderType(provider.type) ? provider.type : undefined;
  const [signingIn, setSigningIn] = useState(signInFirst && accountKind !== undefined);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const toggle = useAction(async (enabled: boolean) => {
    await api.call('providers.update', { id: provider.id, enabled });
    onChanged();
  });
  const remove = useAction(async () => {
    await api.call('providers.remove', { id: provider.id });
    setConfirmRemove(false);
    toast(`Removed ${provider.id}; its keys were deleted from the keychain.`);
    onChanged();
  });
  const titleId = `provider-${provider.id}`;

  return (
    <section className="card provider-card" aria-labelledby={titleId} data-testid={`provider-${provider.id}`}>
      <header className="provider-head">
        <div>
          <h2 id={titleId} className="provider-title">
            {provider.name ?? provider.id}
            <span className="badge">{catalogEntry(provider.type).label}</span>
          </h2>
          <p className="muted small">
            Tools ask for <code>{provider.id}/model</code>
            {provider.baseUrl && (
              <>
                {' '}· sent to <span className="mono">{provider.baseUrl}</span>
              </>
            )}
          </p>
        </div>
        <div className="provider-actions">
          {accountKind && provider.health === 'down' && provider.keys.some((key) => key.account?.state === 'sign-in-again') ? (
            <StatusPill tone="warn">Sign in again</StatusPill>
          ) : (
            <StatusPill tone={healthTone(provider.health)}>{healthWords(provider.health, accountKind ? 'accounts' : 'keys')}</StatusPill>
          )}
          <Toggle label={`Use ${provider.id}`} hideLabel checked={provider.enabled} busy={toggle.busy} disabled={readOnly} onChange={(enabled) => void toggle.run(enabled)} />
        </div>
      </header>
      {toggle.error && <Notice tone="bad">{toggle.error.message}</Notice>}

      <ModelsEditor provider={provider} readOnly={readOnly} onChanged={onChanged} />

      {accountKind ? (
        <>
          <div className="section-head">
            <h3>Accounts</h3>
            <Button size="small" variant="ghost" icon={<PlusIcon />} onClick={() => setSigningIn(true)}>
              Add account
            </Button>
          </div>
          <AccountTable provider={provider} onSignIn={() => setSigningIn(true)} onChanged={onChanged} />
        </>
      ) : (
        <>
        <div className="section-head">
          <h3>Keys</h3>
          {!addingKeys && !readOnly && (
            <Button size="small" variant="ghost" icon={<PlusIcon />} onClick={() => setAddingKeys(true)}>
              Add keys
            </Button>
          )}
        </div>
        <KeyTable provider={provider} readOnly={readOnly} onChanged={onChanged} />
        {addingKeys && (
          <AddKeysForm
            provider={provider}
            onCancel={() => setAddingKeys(false)}
            onAdded={(count) => {
              setAddingKeys(false);
              toast(`Added ${count} key${count === 1 ? '' : 's'} to ${provider.id}.`);
              onChanged();
            }}
          />
        )}

        </>
      )}
      {signingIn && accountKind && (
        <SignInDialog
          providerId={provider.id}
          kind={accountKind}
          onClose={() => setSigningIn(false)}
          onSignedIn={(account) => {
            toast(`${account.login} signed in to ${provider.id}.`);
            onChanged();
          }}
        />
      )}

      <footer className="provider-foot">
        <TestConnection provider={provider} />
        {!readOnly && (
          <Button size="small" variant="ghost" icon={<TrashIcon />} onClick={() => setConfirmRemove(true)}>
            Remove provider
          </Button>
        )}
      </footer>

      {confirmRemove && (
        <Dialog
          title={`Remove ${provider.id}?`}
          onClose={() => setConfirmRemove(false)}
          footer={
            <>
              <Button onClick={() => setConfirmRemove(false)}>Keep it</Button>
              <Button variant="danger" busy={remove.busy} onClick={() => void remove.run()}>
                Remove
              </Button>
            </>
          }
        >
          <p>Its {provider.keys.length === 1 ? (accountKind ? 'account is' : 'key is') : `${provider.keys.length} ${accountKind ? 'accounts' : 'keys'} are`} deleted from the keychain too. Tools asking for <code>{provider.id}/…</code> will get an error.</p>
          {remove.error && <Notice tone="bad">{remove.error.message}</Notice>}
        </Dialog>
      )}
    </section>
  );
}
