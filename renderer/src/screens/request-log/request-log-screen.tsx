import { useState } from 'react';
import type { RequestLogStatusView } from '../../../../shared/request-log-views.ts';
import { useApi } from '../../api/api-context.tsx';
import { Button } from '../../components/button.tsx';
import { Field } from '../../components/field.tsx';
import { LockIcon, TrashIcon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorState, LoadingState, Notice } from '../../components/states.tsx';
import { StatusPill } from '../../components/status-pill.tsx';
import { useChannel } from '../../hooks/use-channel.ts';
import { EntryDetail } from './entry-detail.tsx';
import { EntryList } from './entry-list.tsx';
import { formatSize } from './request-log-words.ts';
import { useRequestLog } from './use-request-log.ts';
import './request-log.css';

function storageWords(status: RequestLogStatusView): string {
  const where = status.keep === 'memory' ? 'kept in memory until Switchyard stops' : `kept on this computer${status.path ? ` in ${status.path}` : ''}`;
  return `${status.entries} of ${status.maxEntries} entries · ${formatSize(status.bytes)} of ${formatSize(status.maxBytes)} · ${where}`;
}

/** The opt-in request log: a switch for the next N requests, the entries, and one entry's four parts side by side. */
export function RequestLogScreen() {
  const api = useApi();
  const log = useRequestLog();
  const providers = useChannel('providers.list');
  const [requests, setRequests] = useState('5');
  const [provider, setProvider] = useState('');
  const [busy, setBusy] = useState(false);
  const status = log.status;
  const count = Number(requests);
  const countError = Number.isInteger(count) && count >= 1 && count <= 10_000 ? undefined : 'a whole number from 1 to 10,000';

  const run = async (change: () => Promise<RequestLogStatusView>) => {
    setBusy(true);
    await log.change(change);
    setBusy(false);
  };

  return (
    <>
      <PageHeader
        title="Request log"
        description="Whole requests and answers, as the client sent them, as Switchyard sent them on, as the provider answered and as the client got them. For debugging; off unless you turn it on."
        actions={
          status && (
            <StatusPill tone={status.capturing ? 'warn' : 'neutral'}>
              <span data-testid="request-log-state">{status.capturing ? `Logging: ${status.summary}` : 'Off'}</span>
            </StatusPill>
          )
        }
      />
      {log.loading && !status ? (
        <LoadingState rows={3} label="Loading the request log" />
      ) : !status ? (
        <ErrorState title="The request log is not available" message={log.error ?? 'Switchyard did not answer.'} onRetry={() => void log.reload()} />
      ) : (
        <div className="request-log-grid">
          {!status.capturing && (
            <Notice tone="info" icon={<LockIcon />} title="The request log is off">
              It is off by default: when on, it keeps whole prompts and answers (keys, tokens and authorization headers masked) on this
              computer. Turn it on below for a few requests, or set <code>usage.requestLog.enabled</code> in the config.
            </Notice>
          )}
          {status.problem && <Notice tone="bad" title="Entries are not being kept">{status.problem}</Notice>}
          {log.error && status && <Notice tone="warn">{log.error}</Notice>}
          <section className="card request-log-controls" aria-label="Logging switch">
            <div className="request-log-switch">
              <Field label="Requests to log" error={countError}>
                <input className="input-short" type="number" min={1} max={10_000} value={requests} onChange={(event) => setRequests(event.target.value)} />
              </Field>
              <Field label="Provider">
                <select value={provider} onChange={(event) => setProvider(event.target.value)}>
                  <option value="">All providers</option>
                  {(providers.data?.providers ?? []).map((item) => (
                    <option key={item.id} value={item.id}>
                      {item.name ? `${item.name} (${item.id})` : item.id}
                    </option>
                  ))}
                </select>
              </Field>
              <Button variant="primary" busy={busy} disabled={countError !== undefined} onClick={() => void run(() => api.call('requestLog.start', { requests: count, ...(provider ? { provider } : {}) }))}>
                {`Log the next ${countError ? 'N' : count} request${count === 1 ? '' : 's'}`}
              </Button>
              {status.session && (
                <Button busy={busy} onClick={() => void run(() => api.call('requestLog.stop', {}))}>
                  Stop
                </Button>
              )}
              <Button variant="danger" icon={<TrashIcon />} busy={busy} disabled={status.entries === 0} onClick={() => void run(() => api.call('requestLog.clear', {}))}>
                Clear the log
              </Button>
            </div>
            <p className="muted small" data-testid="request-log-storage">
              {storageWords(status)}. The oldest entries are dropped beyond the caps (<code>usage.requestLog.maxEntries</code>,{' '}
              <code>maxMegabytes</code>).
              {status.configEnabled && ' The config keeps logging on (usage.requestLog.enabled); the switch above only adds to it.'}
            </p>
          </section>
          {log.entries.length === 0 ? (
            <EmptyState icon={<LockIcon />} title="No entries">
              {status.capturing ? 'The next request Switchyard serves shows up here.' : 'Nothing has been logged.'}
            </EmptyState>
          ) : (
            <>
              <EntryList entries={log.entries} selectedId={log.selectedId} onSelect={log.select} />
              {log.selected ? <EntryDetail entry={log.selected} /> : <LoadingState rows={4} label="Loading the entry" />}
            </>
          )}
        </div>
      )}
    </>
  );
}
