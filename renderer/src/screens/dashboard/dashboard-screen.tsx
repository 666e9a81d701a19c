import { useState } from 'react';
import type { GuardEventView } from '../../../../shared/api-contract.ts';
import { Button } from '../../components/button.tsx';
import { PlusIcon, KeyIcon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorState, LoadingState, Notice } from '../../components/states.tsx';
import { StatusPill } from '../../components/status-pill.tsx';
import { useChannel } from '../../hooks/use-channel.ts';
import { useEvent } from '../../hooks/use-event.ts';
import type { Route } from '../../hooks/use-hash-route.ts';
import { servingTone, servingWords } from '../describe.ts';
import { ActiveComboCard } from './active-combo-card.tsx';
import { ActivityCard } from './activity-card.tsx';
import { EndpointCard } from './endpoint-card.tsx';
import { GuardPanel } from './guard-panel.tsx';

export function DashboardScreen({ onNavigate }: { onNavigate(route: Route): void }) {
  const status = useChannel('status');
  const snapshot = useChannel('guard.snapshot');
  const combos = useChannel('combos.list');
  const [events, setEvents] = useState<GuardEventView[]>([]);
  useEvent('status', status.setData);
  useEvent('guard.snapshot', snapshot.setData);
  useEvent('guard.event', (event) => setEvents((current) => [event, ...current].slice(0, 12)));

  if (status.loading) {
    return (
      <>
        <PageHeader title="Dashboard" />
        <LoadingState rows={4} label="Loading the dashboard" />
      </>
    );
  }
  if (!status.data) return <ErrorState title="The dashboard cannot reach Switchyard" message={status.error?.message ?? 'No answer.'} onRetry={status.reload} />;
  const info = status.data;
  const requests = snapshot.data?.providers.reduce((sum, provider) => sum + provider.requests, 0) ?? 0;

  return (
    <>
      <PageHeader
        title="Dashboard"
        description="What Switchyard is doing right now."
        actions={
          <>
            <Button size="small" onClick={() => onNavigate('setup')}>
              Set up a tool…
            </Button>
            <StatusPill tone={servingTone(info.state)}>{servingWords(info.state)}</StatusPill>
          </>
        }
      />
      {info.state === 'failed' && info.message && (
        <Notice tone="bad" title="Switchyard is not running">
          {info.message}
        </Notice>
      )}
      <div className="grid grid-main">
        <EndpointCard status={info} />
        <ActiveComboCard status={info} combos={combos.data} onNavigate={onNavigate} />
      </div>
      <dl className="stats" aria-label="Totals">
        <div className="stat">
          <dt>Providers</dt>
          <dd>{info.providers}</dd>
        </div>
        <div className="stat">
          <dt>Keys</dt>
          <dd>{info.keys}</dd>
        </div>
        <div className="stat">
          <dt>Combos</dt>
          <dd>{info.combos}</dd>
        </div>
        <div className="stat">
          <dt>Requests since start</dt>
          <dd data-testid="stat-requests">{requests}</dd>
        </div>
      </dl>
      {info.providers === 0 ? (
        <section className="card">
          <EmptyState
            icon={<KeyIcon />}
            title="Add your first provider"
            action={
              <Button variant="primary" icon={<PlusIcon />} onClick={() => onNavigate('providers')}>
                Add a provider
              </Button>
            }
          >
            Paste an API key from Anthropic, OpenAI, Google or another service. Switchyard keeps it in the {info.secretStore} and shows only its last four characters.
          </EmptyState>
        </section>
      ) : (
        <GuardPanel snapshot={snapshot.data} error={snapshot.error?.message} />
      )}
      <ActivityCard events={events} />
    </>
  );
}
