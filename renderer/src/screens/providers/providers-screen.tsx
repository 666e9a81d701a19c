import { useState } from 'react';
import { isAccountProviderType } from '../../../../shared/config/provider-schema.ts';
import { Button } from '../../components/button.tsx';
import { KeyIcon, PlusIcon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorState, LoadingState, Notice } from '../../components/states.tsx';
import { useToast } from '../../components/toasts.tsx';
import { useChannel } from '../../hooks/use-channel.ts';
import { AddProviderDialog } from './add-provider-dialog.tsx';
import { ProviderCard } from './provider-card.tsx';

export function ProvidersScreen() {
  // Key states follow the guard: refresh when its snapshot changes, at most every 2 s.
  const providers = useChannel('providers.list', { reloadOn: ['config.changed', 'guard.snapshot'], minIntervalMs: 2_000 });
  const status = useChannel('status');
  const [adding, setAdding] = useState(false);
  const [justAdded, setJustAdded] = useState<string>();
  const toast = useToast();
  const readOnly = status.data && !status.data.settings.writable ? status.data.settings.readOnlyReason : null;

  const addButton = (
    <Button variant="primary" icon={<PlusIcon />} onClick={() => setAdding(true)} disabled={Boolean(readOnly)}>
      Add provider
    </Button>
  );

  return (
    <>
      <PageHeader title="Providers" description="The services your requests go to, and the keys Switchyard uses for them." actions={providers.data?.providers.length ? addButton : undefined} />
      {readOnly && <Notice tone="info">{readOnly}</Notice>}
      {providers.loading && <LoadingState rows={4} label="Loading providers" />}
      {!providers.loading && !providers.data && <ErrorState title="Providers could not be loaded" message={providers.error?.message ?? 'No answer.'} onRetry={providers.reload} />}
      {providers.data && providers.data.providers.length === 0 && (
        <section className="card">
          <EmptyState icon={<KeyIcon />} title="No providers yet" action={addButton}>
            Add Anthropic, OpenAI, Google Gemini or any compatible service with an API key. You can add several keys to one provider; Switchyard spreads requests over them and skips a key while it is rate-limited.
          </EmptyState>
        </section>
      )}
      <div className="stack-large">
        {providers.data?.providers.map((provider) => (
          <ProviderCard key={provider.id} provider={provider} readOnly={Boolean(readOnly)} onChanged={providers.reload} signInFirst={provider.id === justAdded} />
        ))}
      </div>
      {adding && providers.data && (
        <AddProviderDialog
          existing={providers.data.providers}
          secretStore={status.data?.secretStore ?? 'secret store'}
          onClose={() => setAdding(false)}
          onAdded={(provider) => {
            setAdding(false);
            if (isAccountProviderType(provider.type)) setJustAdded(provider.id);
            else toast(`Added ${provider.id} with ${provider.keys.length} key${provider.keys.length === 1 ? '' : 's'}.`);
            void providers.reload();
          }}
        />
      )}
    </>
  );
}
